package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
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
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.net.URI;
import java.util.List;
import java.util.Map;

/** Edge devices of a cluster, one MachineDeployment each. */
@Controller("/api/v1/projects/{project}/clusters/{cluster}/machinedeployments")
@ExecuteOn(TaskExecutors.BLOCKING)
public class MachineDeploymentController {
    static final String SHELL_SCRIPT = "text/x-shellscript";

    private final MachineDeploymentService service;
    private final MachineDeploymentReconciler reconciler;

    public MachineDeploymentController(MachineDeploymentService service, MachineDeploymentReconciler reconciler) {
        this.service = service;
        this.reconciler = reconciler;
    }

    /** Body: {@code {name, os, arch, labels?, taints?, ssh?}} (see README). */
    @Post
    public HttpResponse<MachineDeploymentView> create(Caller caller, String project, String cluster, @Body @Nullable Map<String, Object> body) {
        caller.requireWritable(project);
        MachineDeploymentRequest request = MachineDeploymentRequest.parse(body);
        MachineDeploymentView view = service.create(caller, project, cluster, request);
        reconciler.wake();
        return HttpResponse.<MachineDeploymentView>status(HttpStatus.CREATED).body(view).header("Location",
                URI.create("/api/v1/projects/" + project + "/clusters/" + cluster + "/machinedeployments/" + view.name()).toString());
    }

    @RouteCondition(WatchRoutes.NOT_WATCHING)
    @Get
    public Page<MachineDeploymentView> list(Caller caller, String project, String cluster, @QueryValue @Nullable Integer limit,
                                            @QueryValue @Nullable String cursor) {
        return service.list(caller, project, cluster, PageRequest.of(limit, cursor));
    }

    @Get("/{name}")
    public MachineDeploymentView get(Caller caller, String project, String cluster, String name) {
        return service.get(caller, project, cluster, name);
    }

    /** The script to run on the device as root (a live call: it carries a fresh bootstrap token when needed). */
    @Get(value = "/{name}/provisioning-script", produces = SHELL_SCRIPT)
    public HttpResponse<String> script(Caller caller, String project, String cluster, String name) {
        return HttpResponse.ok(service.provisioningScript(caller, project, cluster, name))
                .contentType(MediaType.of(SHELL_SCRIPT))
                .header("Content-Disposition", "attachment; filename=\"provision-" + name + ".sh\"")
                .header("Cache-Control", "no-store");
    }

    /** The script that undoes provisioning, for devices without SSH: run it on the device before deleting. */
    @Get(value = "/{name}/deprovisioning-script", produces = SHELL_SCRIPT)
    public HttpResponse<String> deprovisioningScript(Caller caller, String project, String cluster, String name) {
        return HttpResponse.ok(service.deprovisioningScript(caller, project, cluster, name))
                .contentType(MediaType.of(SHELL_SCRIPT))
                .header("Content-Disposition", "attachment; filename=\"deprovision-" + name + ".sh\"");
    }

    /** Delivers and runs the script over SSH; progress in the provisioning log. */
    @Post("/{name}/provision")
    public HttpResponse<MachineDeploymentView> provision(Caller caller, String project, String cluster, String name) {
        MachineDeploymentView view = service.requestProvisioning(caller, project, cluster, name);
        reconciler.wake();
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    /** Output of SSH deliveries; {@code after} continues from the last {@code seq} read. */
    @RouteCondition(WatchRoutes.NOT_WATCHING)
    @Get("/{name}/provisioning-log")
    public List<ProvisioningLogLine> log(Caller caller, String project, String cluster, String name, @QueryValue @Nullable Long after) {
        return service.log(caller, project, cluster, name, after == null ? 0 : after);
    }

    @Delete("/{name}")
    public HttpResponse<MachineDeploymentView> delete(Caller caller, String project, String cluster, String name) {
        MachineDeploymentView view = service.delete(caller, project, cluster, name);
        reconciler.wake();
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }
}
