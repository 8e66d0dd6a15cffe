package io.edgeplane.seedmanager.datacenter;

import io.edgeplane.seedmanager.api.ApiException;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;

import java.util.Comparator;
import java.util.List;

/** Datacenters of the active seed, readable by every authenticated caller (they pick one for a cluster). */
@Controller("/api/v1/datacenters")
public class DatacenterController {
    private final SeedRegistry registry;

    public DatacenterController(SeedRegistry registry) {
        this.registry = registry;
    }

    @Get
    public Page<Datacenter> list(@QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        PageRequest page = PageRequest.of(limit, cursor);
        String after = page.after() == null ? "" : page.after();
        List<Datacenter> rows = registry.current().datacenters().stream()
                .sorted(Comparator.comparing(Datacenter::name))
                .filter(dc -> dc.name().compareTo(after) > 0)
                .limit(page.fetchSize())
                .toList();
        return page.page(rows, Datacenter::name);
    }

    @Get("/{name}")
    public Datacenter get(String name) {
        return registry.current().datacenter(name).orElseThrow(() -> ApiException.notFound("datacenter", name));
    }
}
