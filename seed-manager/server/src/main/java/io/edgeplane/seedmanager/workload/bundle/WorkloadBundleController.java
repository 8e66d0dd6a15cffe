package io.edgeplane.seedmanager.workload.bundle;

import io.edgeplane.seedmanager.api.BadGatewayProblem;
import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictProblem;
import io.edgeplane.seedmanager.api.ForbiddenProblem;
import io.edgeplane.seedmanager.api.InvalidProblem;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.server.types.files.StreamedFile;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Size;

import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * The offline bundle of a workload for one device: {@code GET .../workloads/{name}/bundle?node=<device>}
 * ({@code node} may be omitted when the workload has one node). Owner or admin only, since a bundle
 * runs code on the device. The images are fetched before the answer starts, so registry failures
 * are a problem response (502), not a truncated download.
 */
@Controller("/api/v1/projects/{project}/clusters/{cluster}/workloads")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "workloads")
public class WorkloadBundleController {
    static final String TAR = "application/x-tar";

    private final WorkloadBundles bundles;

    public WorkloadBundleController(WorkloadBundles bundles) {
        this.bundles = bundles;
    }

    @Get(value = "/{name}/bundle", produces = TAR)
    @Operation(operationId = "exportWorkloadBundle",
            summary = "Export the live version of a workload as a signed offline bundle for one of its devices")
    @ApiResponse(responseCode = "200", description = "the bundle: images, manifests, checksums and their signature",
            content = @Content(mediaType = TAR, schema = @Schema(type = "string", format = "binary")))
    @UnauthorizedProblem @ForbiddenProblem @NotFoundProblem @ConflictProblem @InvalidProblem @BadGatewayProblem
    public HttpResponse<StreamedFile> bundle(Caller caller, String project, String cluster, String name,
                                             @Parameter(description = "the device the bundle is for; may be left out when the workload "
                                                     + "runs on one device")
                                             @QueryValue @Nullable @Size(max = 63) String node) {
        WorkloadBundles.Bundle bundle = bundles.export(caller, project, cluster, name, node);
        try {
            long length = Files.size(bundle.file());
            InputStream in = new FilterInputStream(Files.newInputStream(bundle.file())) {
                @Override
                public void close() throws IOException {
                    try {
                        super.close();
                    } finally {
                        bundle.close();
                    }
                }
            };
            return HttpResponse.ok(new StreamedFile(in, MediaType.of(TAR), Files.getLastModifiedTime(bundle.file()).toMillis(), length))
                    .header("Content-Disposition", "attachment; filename=\"" + bundle.fileName() + "\"")
                    .header("Cache-Control", "no-store");
        } catch (IOException e) {
            bundle.close();
            throw new UncheckedIOException(e);
        }
    }
}
