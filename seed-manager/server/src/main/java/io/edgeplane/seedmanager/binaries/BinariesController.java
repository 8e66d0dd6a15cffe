package io.edgeplane.seedmanager.binaries;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ForbiddenProblem;
import io.edgeplane.seedmanager.api.InvalidProblem;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.edgeplane.seedmanager.cluster.KubernetesVersions;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * The Kubernetes binaries of every supported version, per platform: what is ready, what is being
 * prepared (source, step, elapsed) and why an attempt failed. An admin can prepare a version ahead
 * of time, e.g. before an air-gapped site goes offline. Admin only: it shows paths of the seed host.
 * There is no service behind it, so the admin check is here.
 */
@Controller("/api/v1/binaries")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "binaries")
@UnauthorizedProblem @ForbiddenProblem
public class BinariesController {
    private final BinariesPreparations preparations;
    private final KubernetesVersions versions;

    public BinariesController(BinariesPreparations preparations, KubernetesVersions versions) {
        this.preparations = preparations;
        this.versions = versions;
    }

    @Get
    @Operation(operationId = "listBinaries", summary = "List the binaries of every supported version and platform (admin only)")
    @InvalidProblem
    public Page<BinariesStatus> list(Caller caller,
                                     @QueryValue @Nullable @Min(1) @Max(PageRequest.MAX_LIMIT) Integer limit,
                                     @QueryValue @Nullable String cursor) {
        caller.requireAdmin();
        PageRequest page = PageRequest.of(limit, cursor);
        String after = page.after() == null ? "" : page.after();
        List<BinariesStatus> rows = platforms(versions.supported().stream())
                .map(preparations::status)
                .sorted(Comparator.comparing(BinariesController::key))
                .filter(s -> key(s).compareTo(after) > 0)
                .limit(page.fetchSize())
                .toList();
        return page.page(rows, BinariesController::key);
    }

    /** Starts preparing every platform of {@code version} that is not complete (202), or reports them ready (200). */
    @Post("/{version}/prepare")
    @Operation(operationId = "prepareBinaries",
            summary = "Prepare the binaries of a supported version on every platform (admin only): 202 while preparing, 200 when ready")
    @ApiResponse(responseCode = "200", description = "every platform is ready",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = BinariesStatus.class))))
    @ApiResponse(responseCode = "202", description = "preparation started or running",
            content = @Content(array = @ArraySchema(schema = @Schema(implementation = BinariesStatus.class))))
    @NotFoundProblem
    public HttpResponse<List<BinariesStatus>> prepare(Caller caller, String version) {
        caller.requireAdmin();
        if (!versions.isSupported(version)) {
            throw new NotFoundException("supported Kubernetes version", version);
        }
        List<BinariesStatus> statuses = platforms(Stream.of(version)).map(preparations::ensure).toList();
        boolean ready = statuses.stream().allMatch(BinariesStatus::ready);
        return HttpResponse.status(ready ? HttpStatus.OK : HttpStatus.ACCEPTED).body(statuses);
    }

    private static Stream<Platform> platforms(Stream<String> versions) {
        return versions.flatMap(v -> Platform.ARCHITECTURES.stream().map(arch -> new Platform(v, arch)));
    }

    private static String key(BinariesStatus status) {
        return status.version() + "/" + status.platform();
    }
}
