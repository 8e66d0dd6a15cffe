package io.edgeplane.seedmanager.datacenter;

import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** The active seed: name, generation and checksum of the file in force, and the last reload result. */
@Controller("/api/v1/seed")
@Tag(name = "seed")
@UnauthorizedProblem
public class SeedController {
    private final SeedRegistry registry;

    public SeedController(SeedRegistry registry) {
        this.registry = registry;
    }

    @Get
    @Operation(operationId = "getSeed", summary = "The active seed and the result of the last check of its file")
    public SeedStatus get() {
        return registry.status();
    }
}
