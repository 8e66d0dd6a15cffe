package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.api.ApiException;
import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.project.ProjectRepository;
import io.edgeplane.seedmanager.watch.ResumeToken;
import io.edgeplane.seedmanager.watch.WatchRoutes;
import io.edgeplane.seedmanager.watch.WatchedTable;
import io.edgeplane.seedmanager.watch.Watches;
import io.edgeplane.seedmanager.api.Problem;
import io.edgeplane.seedmanager.watch.WatchDocs;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
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
import org.reactivestreams.Publisher;

/** {@code GET /api/v1/projects/{project}/clusters?watch=true}: the project's clusters as server-sent events. */
@Tag(name = "clusters")
@Controller("/api/v1/projects/{project}/clusters")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ClusterWatchController {
    private final ProjectRepository projects;
    private final ClusterStatusCodec codec;
    private final Watches watches;

    public ClusterWatchController(ProjectRepository projects, ClusterStatusCodec codec, Watches watches) {
        this.projects = projects;
        this.codec = codec;
        this.watches = watches;
    }

    @Operation(operationId = "listClusters")
    @ApiResponse(responseCode = "200", description = "The list, or with watch=true its stream",
            content = @Content(mediaType = MediaType.TEXT_EVENT_STREAM, schema = @Schema(type = "string", description = WatchDocs.EVENTS)))
    @ApiResponse(responseCode = "400", description = "A resume id that is not an event id",
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "410", description = WatchDocs.GONE,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @ApiResponse(responseCode = "503", description = WatchDocs.BUSY,
            content = @Content(mediaType = Problem.MEDIA_TYPE, schema = @Schema(implementation = Problem.class)))
    @Get(produces = MediaType.TEXT_EVENT_STREAM)
    @RouteCondition(WatchRoutes.WATCHING)
    public Publisher<Event<Object>> watch(Caller caller, String project, @Parameter(description = WatchDocs.WATCH, required = false) @QueryValue boolean watch,
                                          @Parameter(description = WatchDocs.LAST_EVENT_ID) @Header("Last-Event-ID") @Nullable String lastEventId,
                                          @Parameter(description = WatchDocs.RESOURCE_VERSION) @QueryValue @Nullable String resourceVersion, @Parameter(description = WatchDocs.SINCE) @QueryValue @Nullable String since) {
        caller.requireVisible(project);
        if (!projects.existsById(project)) {
            throw ApiException.notFound("project", project);
        }
        return watches.objects("clusters=" + project, WatchedTable.CLUSTERS, project, Cluster.class,
                c -> ClusterView.of(c, codec.read(c.status())), Cluster::name, ResumeToken.of(lastEventId, resourceVersion, since));
    }
}
