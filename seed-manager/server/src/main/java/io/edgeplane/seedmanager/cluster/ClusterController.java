package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.api.BadRequestProblem;
import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictProblem;
import io.edgeplane.seedmanager.api.ForbiddenProblem;
import io.edgeplane.seedmanager.api.InvalidProblem;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotations;
import io.edgeplane.seedmanager.watch.WatchDocs;
import io.edgeplane.seedmanager.watch.WatchParameters;
import io.edgeplane.seedmanager.watch.WatchProblems;
import io.edgeplane.seedmanager.watch.WatchRoutes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RouteCondition;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.List;

/**
 * Tenant clusters. Changes answer 202: the reconciler does the work and reports through the phase.
 * Access is checked by {@link ClusterService}.
 */
@Controller("/api/v1/projects/{project}/clusters")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "clusters")
@UnauthorizedProblem @NotFoundProblem
public class ClusterController {
    private final ClusterService service;
    private final ClusterReconciler reconciler;
    private final EncryptionKeyRotations rotations;

    public ClusterController(ClusterService service, ClusterReconciler reconciler, EncryptionKeyRotations rotations) {
        this.service = service;
        this.reconciler = reconciler;
        this.rotations = rotations;
    }

    @Post
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "createCluster",
            summary = "Create a cluster in an edge datacenter; 409 when the name is taken or the project's cluster quota is used up")
    @BadRequestProblem @ForbiddenProblem @ConflictProblem @InvalidProblem
    public HttpResponse<ClusterView> create(Caller caller, String project, @Body @Valid CreateClusterRequest body) {
        ClusterView view = service.create(caller, project, body);
        reconciler.wake();
        return HttpResponse.<ClusterView>status(HttpStatus.ACCEPTED).body(view)
                .header(HttpHeaders.LOCATION, "/api/v1/projects/" + project + "/clusters/" + view.name());
    }

    @RouteCondition(WatchRoutes.NOT_WATCHING)
    @WatchProblems @WatchParameters
    @ApiResponse(responseCode = "200", description = WatchDocs.LIST, content = {
            // JSON first: generated clients type an operation by its first media type.
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ClusterPageDocument.class)),
            @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string", description = WatchDocs.EVENTS))})
    @Get
    @Operation(operationId = "listClusters", summary = "List a project's clusters, by name")
    @InvalidProblem
    public Page<ClusterView> list(Caller caller, String project,
                                  @QueryValue @Nullable @Min(1) @Max(PageRequest.MAX_LIMIT) Integer limit,
                                  @QueryValue @Nullable String cursor) {
        return service.list(caller, project, PageRequest.of(limit, cursor));
    }

    @Get("/{cluster}")
    @Operation(operationId = "getCluster", summary = "Get a cluster with its phase and conditions")
    public ClusterView get(Caller caller, String project, String cluster) {
        return service.get(caller, project, cluster);
    }

    @Patch("/{cluster}")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "upgradeCluster",
            summary = "Upgrade a cluster to a newer supported version, one minor version at a time")
    @BadRequestProblem @ForbiddenProblem @ConflictProblem @InvalidProblem
    public HttpResponse<ClusterView> upgrade(Caller caller, String project, String cluster, @Body @Valid UpgradeClusterRequest body) {
        ClusterView view = service.upgrade(caller, project, cluster, body);
        reconciler.wake();
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    @Post("/{cluster}/encryption-key-rotation")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "rotateClusterEncryptionKey",
            summary = "Rotate the key Secrets are encrypted with in the cluster's etcd; the cluster's encryptionKeyRotation "
                    + "shows its phase until Done; 409 while one is under way, or the cluster is being deleted or has no key yet")
    @ForbiddenProblem @ConflictProblem
    public HttpResponse<ClusterView> rotateEncryptionKey(Caller caller, String project, String cluster) {
        ClusterView view = rotations.start(caller, project, cluster);
        reconciler.wake();
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    @Delete("/{cluster}")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "deleteCluster",
            summary = "Delete a cluster: it shows Deleting until its control plane and the row are gone")
    @ForbiddenProblem
    public HttpResponse<ClusterView> delete(Caller caller, String project, String cluster) {
        ClusterView view = service.delete(caller, project, cluster);
        reconciler.wake();
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    // The JSON of Page<ClusterView> for the OpenAPI document, which cannot name a generic type in an annotation:
    // the list states its two media types itself (see WatchParameters).
    @Schema(name = "Page_ClusterView_", description = "One page of a list; `nextCursor` is absent on the last page.")
    record ClusterPageDocument(List<ClusterView> items, @Nullable String nextCursor) {
    }
}
