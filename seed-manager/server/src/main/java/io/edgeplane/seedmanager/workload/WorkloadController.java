package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.api.BadRequestProblem;
import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictProblem;
import io.edgeplane.seedmanager.api.ForbiddenProblem;
import io.edgeplane.seedmanager.api.InvalidProblem;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.edgeplane.seedmanager.watch.WatchDocs;
import io.edgeplane.seedmanager.watch.WatchParameters;
import io.edgeplane.seedmanager.watch.WatchProblems;
import io.edgeplane.seedmanager.watch.WatchRoutes;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RouteCondition;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.DiscriminatorMapping;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.util.List;

/**
 * Workloads of a cluster. Operations answer 202: they are recorded (state {@code pending_*}) and
 * the reconciler carries them out, at once or when the cluster and its devices are reachable.
 * Access is checked by {@link WorkloadService}.
 */
@Controller("/api/v1/projects/{project}/clusters/{cluster}/workloads")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "workloads")
@UnauthorizedProblem @NotFoundProblem
public class WorkloadController {
    /** The batch route's segment; no workload is named so. */
    static final String RESERVED_NAME = "apply";
    /** A workload's own path: any name but the reserved one, so that /workloads/apply is only the batch apply (and its Allow header says so). */
    private static final String BY_NAME = "/{name:(?!apply$)[^/]+}";

    private final WorkloadService service;
    private final ApplicationEventPublisher<WorkloadsChanged> events;

    public WorkloadController(WorkloadService service, ApplicationEventPublisher<WorkloadsChanged> events) {
        this.service = service;
        this.events = events;
    }

    @Post
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "deployWorkloads",
            summary = "Deploy a workload (standard or staged), or several together (all or none); the same name again updates it")
    @ApiResponse(responseCode = "202", description = "accepted: the workload, or for {\"workloads\":[...]} the workloads in request order",
            content = @Content(mediaType = "application/json",
                    schema = @Schema(oneOf = {WorkloadView.class, WorkloadView.Items.class}, discriminatorProperty = "kind",
                            discriminatorMapping = {@DiscriminatorMapping(value = WorkloadView.KIND, schema = WorkloadView.class),
                                    @DiscriminatorMapping(value = WorkloadView.Items.KIND, schema = WorkloadView.Items.class)})))
    @BadRequestProblem @ForbiddenProblem @ConflictProblem @InvalidProblem
    public HttpResponse<?> deploy(Caller caller, String project, String cluster, @Body @Valid DeployWorkloadsRequest body) {
        List<WorkloadView> views = service.deploy(caller, project, cluster, body);
        changed(project, cluster);
        if (body instanceof WorkloadBatch) {
            return HttpResponse.status(HttpStatus.ACCEPTED).body(WorkloadView.Items.of(views));
        }
        WorkloadView view = views.get(0);
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view)
                .header("Location", "/api/v1/projects/" + project + "/clusters/" + cluster + "/workloads/" + view.name());
    }

    @Post("/apply")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "applyWorkloads", summary = "Apply the ready staged versions of several workloads together, all or none")
    @BadRequestProblem @ForbiddenProblem @ConflictProblem @InvalidProblem
    public HttpResponse<WorkloadView.Items> applyAll(Caller caller, String project, String cluster, @Body @Valid ApplyWorkloadsRequest body) {
        List<WorkloadView> views = service.applyAll(caller, project, cluster, body);
        changed(project, cluster);
        return HttpResponse.status(HttpStatus.ACCEPTED).body(WorkloadView.Items.of(views));
    }

    @Post("/{name}/apply")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "applyWorkload", summary = "Apply the ready staged version of a workload")
    @ForbiddenProblem @ConflictProblem
    public HttpResponse<WorkloadView> apply(Caller caller, String project, String cluster, String name) {
        WorkloadView view = service.apply(caller, project, cluster, name);
        changed(project, cluster);
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    @Post("/{name}/start")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "startWorkload", summary = "Start a stopped workload")
    @ForbiddenProblem @ConflictProblem
    public HttpResponse<WorkloadView> start(Caller caller, String project, String cluster, String name) {
        WorkloadView view = service.start(caller, project, cluster, name);
        changed(project, cluster);
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    @Post("/{name}/stop")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "stopWorkload",
            summary = "Stop a workload: it scales to zero, everything stays deployed and it can be started again")
    @ForbiddenProblem @ConflictProblem
    public HttpResponse<WorkloadView> stop(Caller caller, String project, String cluster, String name) {
        WorkloadView view = service.stop(caller, project, cluster, name);
        changed(project, cluster);
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    @Delete(BY_NAME)
    @Operation(operationId = "undeployWorkload", summary = "Undeploy a workload, or with staged=true only its staged version")
    @ApiResponse(responseCode = "202", description = "the workload is being removed from the cluster (idempotent)",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WorkloadView.class)))
    @ApiResponse(responseCode = "200", description = "only the staged version was removed; the live version stays",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = WorkloadView.class)))
    @ForbiddenProblem @ConflictProblem @InvalidProblem
    public HttpResponse<WorkloadView> undeploy(Caller caller, String project, String cluster, String name,
                                               @Parameter(description = "remove only the staged version (the whole workload when "
                                                       + "it has no live version)")
                                               @QueryValue @Nullable Boolean staged) {
        WorkloadService.Undeployed undeployed = service.undeploy(caller, project, cluster, name, Boolean.TRUE.equals(staged));
        changed(project, cluster);
        return HttpResponse.status(undeployed.accepted() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(undeployed.workload());
    }

    @RouteCondition(WatchRoutes.NOT_WATCHING)
    @WatchProblems @WatchParameters
    @ApiResponse(responseCode = "200", description = WatchDocs.LIST, content = {
            // JSON first: generated clients type an operation by its first media type.
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = WorkloadPageDocument.class)),
            @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string", description = WatchDocs.EVENTS))})
    @Get
    @Operation(operationId = "listWorkloads", summary = "List the workloads of a cluster, by name")
    @InvalidProblem
    public Page<WorkloadView> list(Caller caller, String project, String cluster,
                                   @Parameter(description = "a prefix of the name") @QueryValue @Nullable String name,
                                   @Parameter(description = "only workloads on this device") @QueryValue @Nullable String node,
                                   @Parameter(description = "the workload's state or its staged version's")
                                   @Schema(type = "string") @QueryValue @Nullable WorkloadState state,
                                   @QueryValue @Nullable @Min(1) @Max(PageRequest.MAX_LIMIT) Integer limit,
                                   @QueryValue @Nullable String cursor) {
        return service.list(caller, project, cluster, name, node, state, PageRequest.of(limit, cursor));
    }

    @Get(BY_NAME)
    @Operation(operationId = "getWorkload", summary = "Get a workload with its state per device and its staged version's progress")
    public WorkloadView get(Caller caller, String project, String cluster, String name) {
        return service.get(caller, project, cluster, name);
    }

    private void changed(String project, String cluster) {
        events.publishEvent(new WorkloadsChanged(project, cluster));
    }

    // The JSON of Page<WorkloadView> for the OpenAPI document, which cannot name a generic type in an annotation:
    // the list states its two media types itself (see WatchParameters).
    @Schema(name = "Page_WorkloadView_", description = "One page of a list; `nextCursor` is absent on the last page.")
    record WorkloadPageDocument(List<WorkloadView> items, @Nullable String nextCursor) {
    }
}
