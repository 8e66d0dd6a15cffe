package io.edgeplane.seedmanager.datacenter;

import io.edgeplane.seedmanager.api.InvalidProblem;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.Comparator;
import java.util.List;

/** Datacenters of the active seed, readable by every authenticated caller (they pick one for a cluster). */
@Controller("/api/v1/datacenters")
@Tag(name = "datacenters")
@UnauthorizedProblem
public class DatacenterController {
    private final SeedRegistry registry;

    public DatacenterController(SeedRegistry registry) {
        this.registry = registry;
    }

    @Get
    @Operation(operationId = "listDatacenters", summary = "List the datacenters of the active seed, by name")
    @InvalidProblem
    public Page<Datacenter> list(@QueryValue @Nullable @Min(1) @Max(PageRequest.MAX_LIMIT) Integer limit,
                                 @QueryValue @Nullable String cursor) {
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
    @Operation(operationId = "getDatacenter", summary = "Get a datacenter of the active seed")
    @NotFoundProblem
    public Datacenter get(String name) {
        return registry.current().datacenter(name).orElseThrow(() -> new NotFoundException("datacenter", name));
    }
}
