package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterService;
import io.edgeplane.seedmanager.watch.ResumeToken;
import io.edgeplane.seedmanager.watch.WatchRoutes;
import io.edgeplane.seedmanager.watch.WatchedTable;
import io.edgeplane.seedmanager.watch.Watches;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RouteCondition;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Hidden;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.reactivestreams.Publisher;

import java.util.Map;
import java.util.Optional;

/**
 * {@code ?watch=true} on a cluster's devices (server-sent events of their changes) and on a device's
 * provisioning log (its lines as they are written, until provisioning is over).
 */
@Tag(name = "machinedeployments")
@Controller("/api/v1/projects/{project}/clusters/{cluster}/machinedeployments")
@ExecuteOn(TaskExecutors.BLOCKING)
@UnauthorizedProblem @NotFoundProblem
public class MachineDeploymentWatchController {
    private final ClusterService clusters;
    private final MachineDeploymentRepository machines;
    private final MachineDeploymentService service;
    private final Watches watches;

    public MachineDeploymentWatchController(ClusterService clusters, MachineDeploymentRepository machines,
                                            MachineDeploymentService service, Watches watches) {
        this.clusters = clusters;
        this.machines = machines;
        this.service = service;
        this.watches = watches;
    }

    @Hidden
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    @RouteCondition(WatchRoutes.WATCHING)
    public Publisher<Event<Object>> watch(Caller caller, String project, String cluster,
            @QueryValue boolean watch,
            @Header("Last-Event-ID") @Nullable String lastEventId,
            @QueryValue @Nullable String resourceVersion,
            @QueryValue @Nullable String since,
            @QueryValue @Nullable @Min(1) @Max(3600) Integer timeoutSeconds) {
        Cluster found = clusters.find(caller, project, cluster);
        return watches.objects("machinedeployments=" + project + "/" + cluster, WatchedTable.MACHINE_DEPLOYMENTS, found.id(),
                MachineDeployment.class, m -> service.view(found, m), MachineDeployment::name,
                ResumeToken.of(lastEventId, resourceVersion, since), timeoutSeconds);
    }

    @Hidden
    @Get(value = "/{name}/provisioning-log", produces = MediaType.TEXT_EVENT_STREAM)
    @RouteCondition(WatchRoutes.WATCHING)
    public Publisher<Event<Object>> followLog(Caller caller, String project, String cluster, String name,
            @QueryValue boolean watch,
            @Header("Last-Event-ID") @Nullable String lastEventId,
            @QueryValue @Nullable @Min(0) Long after,
            @QueryValue @Nullable @Min(1) @Max(3600) Integer timeoutSeconds) {
        Cluster found = clusters.find(caller, project, cluster);
        MachineDeployment machine = machines.findByClusterIdAndName(found.id(), name)
                .orElseThrow(() -> new NotFoundException("machine deployment", project + "/" + cluster + "/" + name));
        ResumeToken resume = ResumeToken.of(lastEventId, after == null ? null : after.toString(), null);
        return watches.provisioningLog("provisioning-log=" + project + "/" + cluster + "/" + name, machine.id(), found.id(),
                ProvisioningLogLine.class, ProvisioningLogLine::seq, () -> provisioningEnded(found, machine.id(), name),
                resume == null ? 0 : resume.seq(), timeoutSeconds);
    }

    /** Over once no delivery is pending or running; the END body is the device as its GET shows it. */
    private Optional<Object> provisioningEnded(Cluster cluster, String id, String name) {
        Optional<MachineDeployment> machine = watches.row(WatchedTable.MACHINE_DEPLOYMENTS, id, MachineDeployment.class);
        if (machine.isEmpty()) {
            return Optional.of(Map.of("name", name, "deleted", true));
        }
        MachineDeployment m = machine.get();
        boolean delivering = m.provisionRequested() > m.provisionDone() && m.ssh() != null;
        return delivering ? Optional.empty() : Optional.of(service.view(cluster, m));
    }
}
