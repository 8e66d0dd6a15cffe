package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.edgeplane.seedmanager.project.ProjectRepository;
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

/** {@code GET /api/v1/projects/{project}/clusters?watch=true}: the project's clusters as server-sent events. */
@Tag(name = "clusters")
@Controller("/api/v1/projects/{project}/clusters")
@ExecuteOn(TaskExecutors.BLOCKING)
@UnauthorizedProblem @NotFoundProblem
public class ClusterWatchController {
    private final ProjectRepository projects;
    private final ClusterService clusters;
    private final Watches watches;

    public ClusterWatchController(ProjectRepository projects, ClusterService clusters, Watches watches) {
        this.projects = projects;
        this.clusters = clusters;
        this.watches = watches;
    }

    @Hidden
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    @RouteCondition(WatchRoutes.WATCHING)
    public Publisher<Event<Object>> watch(Caller caller, String project,
            @QueryValue boolean watch,
            @Header("Last-Event-ID") @Nullable String lastEventId,
            @QueryValue @Nullable String resourceVersion,
            @QueryValue @Nullable String since,
            @QueryValue @Nullable @Min(1) @Max(3600) Integer timeoutSeconds) {
        caller.requireVisible(project);
        if (!projects.existsById(project)) {
            throw new NotFoundException("project", project);
        }
        return watches.objects("clusters=" + project, WatchedTable.CLUSTERS, project, Cluster.class,
                clusters::view, Cluster::name, ResumeToken.of(lastEventId, resourceVersion, since),
                timeoutSeconds);
    }
}
