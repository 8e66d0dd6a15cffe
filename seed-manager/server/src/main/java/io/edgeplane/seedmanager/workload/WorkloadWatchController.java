package io.edgeplane.seedmanager.workload;

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

/** {@code GET .../clusters/{cluster}/workloads?watch=true}: the cluster's workloads as server-sent events. */
@Tag(name = "workloads")
@Controller("/api/v1/projects/{project}/clusters/{cluster}/workloads")
@ExecuteOn(TaskExecutors.BLOCKING)
@UnauthorizedProblem @NotFoundProblem
public class WorkloadWatchController {
    private final ClusterService clusters;
    private final WorkloadViews views;
    private final Watches watches;

    public WorkloadWatchController(ClusterService clusters, WorkloadViews views, Watches watches) {
        this.clusters = clusters;
        this.views = views;
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
        return watches.objects("workloads=" + project + "/" + cluster, WatchedTable.WORKLOADS, found.id(), Workload.class,
                w -> views.view(found, w), Workload::name, ResumeToken.of(lastEventId, resourceVersion, since), timeoutSeconds);
    }
}
