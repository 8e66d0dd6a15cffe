package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.api.BadGatewayProblem;
import io.edgeplane.seedmanager.api.BadRequestProblem;
import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictProblem;
import io.edgeplane.seedmanager.api.ForbiddenProblem;
import io.edgeplane.seedmanager.api.InvalidProblem;
import io.edgeplane.seedmanager.api.Lifetimes;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.edgeplane.seedmanager.api.UnavailableProblem;
import io.edgeplane.seedmanager.watch.FollowParameters;
import io.edgeplane.seedmanager.watch.FollowProblems;
import io.edgeplane.seedmanager.watch.WatchDocs;
import io.edgeplane.seedmanager.watch.WatchParameters;
import io.edgeplane.seedmanager.watch.WatchProblems;
import io.edgeplane.seedmanager.watch.WatchRoutes;
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
import io.swagger.v3.oas.annotations.media.ArraySchema;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

import java.util.List;

/** Edge devices of a cluster, one MachineDeployment each. Access is checked by {@link MachineDeploymentService}. */
@Controller("/api/v1/projects/{project}/clusters/{cluster}/machinedeployments")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "machinedeployments")
@UnauthorizedProblem @NotFoundProblem
public class MachineDeploymentController {
    static final String SHELL_SCRIPT = "text/x-shellscript";

    private final MachineDeploymentService service;
    private final MachineDeploymentReconciler reconciler;
    private final ProvisioningScriptLinks links;

    public MachineDeploymentController(MachineDeploymentService service, MachineDeploymentReconciler reconciler,
                                       ProvisioningScriptLinks links) {
        this.service = service;
        this.reconciler = reconciler;
        this.links = links;
    }

    @Post
    @Status(HttpStatus.CREATED)
    @Operation(operationId = "createMachineDeployment", summary = "Register an edge device; the reconciler prepares its bootstrap token")
    @BadRequestProblem @ForbiddenProblem @ConflictProblem @InvalidProblem
    public HttpResponse<MachineDeploymentView> create(Caller caller, String project, String cluster,
                                                      @Body @Valid MachineDeploymentRequest body) {
        MachineDeploymentView view = service.create(caller, project, cluster, body);
        reconciler.wake();
        return HttpResponse.<MachineDeploymentView>status(HttpStatus.CREATED).body(view)
                .header("Location", "/api/v1/projects/" + project + "/clusters/" + cluster + "/machinedeployments/" + view.name());
    }

    @RouteCondition(WatchRoutes.NOT_WATCHING)
    @WatchProblems @WatchParameters
    @ApiResponse(responseCode = "200", description = WatchDocs.LIST, content = {
            // JSON first: generated clients type an operation by its first media type.
            @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = MachineDeploymentPageDocument.class)),
            @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string", description = WatchDocs.EVENTS))})
    @Get
    @Operation(operationId = "listMachineDeployments", summary = "List the devices of a cluster, by name")
    @InvalidProblem
    public Page<MachineDeploymentView> list(Caller caller, String project, String cluster,
                                            @QueryValue @Nullable @Min(1) @Max(PageRequest.MAX_LIMIT) Integer limit,
                                            @QueryValue @Nullable String cursor) {
        return service.list(caller, project, cluster, PageRequest.of(limit, cursor));
    }

    @Get("/{name}")
    @Operation(operationId = "getMachineDeployment", summary = "Get a device with its phase and node status")
    public MachineDeploymentView get(Caller caller, String project, String cluster, String name) {
        return service.get(caller, project, cluster, name);
    }

    @Get(value = "/{name}/provisioning-script", produces = SHELL_SCRIPT)
    @Operation(operationId = "getProvisioningScript",
            summary = "The script to run on the device as root; a live call that issues a fresh bootstrap token when needed")
    @ApiResponse(responseCode = "200", description = "the provisioning script",
            content = @Content(mediaType = SHELL_SCRIPT, schema = @Schema(type = "string")))
    @ForbiddenProblem @ConflictProblem @BadGatewayProblem @UnavailableProblem
    public HttpResponse<String> script(Caller caller, String project, String cluster, String name) {
        return HttpResponse.ok(service.provisioningScript(caller, project, cluster, name))
                .contentType(MediaType.of(SHELL_SCRIPT))
                .header("Content-Disposition", "attachment; filename=\"provision-" + name + ".sh\"")
                .header("Cache-Control", "no-store");
    }

    @Post("/{name}/provisioning-script-link")
    @Status(HttpStatus.CREATED)
    @Operation(operationId = "createProvisioningScriptLink",
            summary = "Issue a one-time, short-lived link to the device's provisioning script and the command that runs it on the device",
            description = "The link needs no token and answers once: the first download that gets the script uses it up (a 503 while "
                    + "binaries are prepared does not). The command pins the seed manager's CA inline. The request has no body; the link is shown only in this answer.")
    @ApiResponse(responseCode = "201", description = "the link, the command and when the link expires",
            content = @Content(mediaType = MediaType.APPLICATION_JSON, schema = @Schema(implementation = ProvisioningScriptLinkView.class)))
    @ForbiddenProblem @ConflictProblem @InvalidProblem
    public HttpResponse<ProvisioningScriptLinkView> createScriptLink(
            Caller caller, String project, String cluster, String name,
            @Parameter(description = "how long the link is valid, e.g. 90s, 15m, 1h or an ISO-8601 duration; default 15m, at most 24h")
            @QueryValue @Nullable @Pattern(regexp = Lifetimes.PATTERN, message = Lifetimes.MESSAGE) String lifetime) {
        ProvisioningScriptLinkView link = links.create(caller, project, cluster, name, lifetime == null ? null : Lifetimes.parse(lifetime));
        // No Location: the link's address is its secret, and the audit trail records a creation's Location.
        return HttpResponse.<ProvisioningScriptLinkView>status(HttpStatus.CREATED).body(link).header("Cache-Control", "no-store");
    }

    @Get(value = "/{name}/deprovisioning-script", produces = SHELL_SCRIPT)
    @Operation(operationId = "getDeprovisioningScript",
            summary = "The script that undoes provisioning, for devices without SSH: run it on the device before deleting")
    @ApiResponse(responseCode = "200", description = "the deprovisioning script",
            content = @Content(mediaType = SHELL_SCRIPT, schema = @Schema(type = "string")))
    @ForbiddenProblem
    public HttpResponse<String> deprovisioningScript(Caller caller, String project, String cluster, String name) {
        return HttpResponse.ok(service.deprovisioningScript(caller, project, cluster, name))
                .contentType(MediaType.of(SHELL_SCRIPT))
                .header("Content-Disposition", "attachment; filename=\"deprovision-" + name + ".sh\"");
    }

    @Post("/{name}/provision")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "provisionMachineDeployment",
            summary = "Deliver and run the provisioning script over SSH; progress in the provisioning log")
    @ForbiddenProblem @ConflictProblem
    public HttpResponse<MachineDeploymentView> provision(Caller caller, String project, String cluster, String name) {
        MachineDeploymentView view = service.requestProvisioning(caller, project, cluster, name);
        reconciler.wake();
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    @Post("/{name}/onboarding-check")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "checkMachineDeployment",
            summary = "Run the device's onboarding check again; new workloads wait for the device until it passes, those it runs stay",
            description = "The request has no body. The check's outcome appears in the device's conditions (Onboarded and one per check).")
    @ForbiddenProblem @ConflictProblem
    public HttpResponse<MachineDeploymentView> check(Caller caller, String project, String cluster, String name) {
        MachineDeploymentView view = service.requestOnboardingCheck(caller, project, cluster, name);
        reconciler.wake();
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    @RouteCondition(WatchRoutes.NOT_WATCHING)
    @FollowProblems @FollowParameters
    @ApiResponse(responseCode = "200", description = WatchDocs.LOG, content = {
            // JSON first: generated clients type an operation by its first media type.
            @Content(mediaType = MediaType.APPLICATION_JSON, array = @ArraySchema(schema = @Schema(implementation = ProvisioningLogLine.class))),
            @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string", description = WatchDocs.LOG_EVENTS))})
    @Get("/{name}/provisioning-log")
    @Operation(operationId = "getProvisioningLog", summary = "Output of the SSH deliveries, oldest first")
    @InvalidProblem
    public List<ProvisioningLogLine> log(Caller caller, String project, String cluster, String name,
                                         @Parameter(description = "continue after this seq (the last one read)")
                                         @QueryValue @Nullable @Min(0) Long after) {
        return service.log(caller, project, cluster, name, after == null ? 0 : after);
    }

    @Delete("/{name}")
    @Status(HttpStatus.ACCEPTED)
    @Operation(operationId = "deleteMachineDeployment",
            summary = "Deprovision and remove a device: drain, delete its node, revoke its tokens (idempotent)")
    @ForbiddenProblem
    public HttpResponse<MachineDeploymentView> delete(Caller caller, String project, String cluster, String name) {
        MachineDeploymentView view = service.delete(caller, project, cluster, name);
        reconciler.wake();
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    // The JSON of Page<MachineDeploymentView> for the OpenAPI document, which cannot name a generic type in an annotation:
    // the list states its two media types itself (see WatchParameters).
    @Schema(name = "Page_MachineDeploymentView_", description = "One page of a list; `nextCursor` is absent on the last page.")
    record MachineDeploymentPageDocument(List<MachineDeploymentView> items, @Nullable String nextCursor) {
    }
}
