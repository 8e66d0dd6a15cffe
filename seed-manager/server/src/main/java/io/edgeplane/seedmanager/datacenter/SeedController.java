package io.edgeplane.seedmanager.datacenter;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;

/** The active seed: name, generation and checksum of the file in force, and the last reload result. */
@Controller("/api/v1/seed")
public class SeedController {
    private final SeedRegistry registry;

    public SeedController(SeedRegistry registry) {
        this.registry = registry;
    }

    @Get
    public SeedStatus get() {
        return registry.status();
    }
}
