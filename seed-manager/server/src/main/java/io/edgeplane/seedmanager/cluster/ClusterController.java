package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.RequestFields;
import io.edgeplane.seedmanager.cluster.controlplane.NodeHealth;
import io.edgeplane.seedmanager.watch.WatchRoutes;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RouteCondition;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.net.URI;
import java.util.Map;
import java.util.Set;

/** Tenant clusters. Changes answer 202: the reconciler does the work and reports through the phase. */
@Controller("/api/v1/projects/{project}/clusters")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ClusterController {
    private final ClusterService service;
    private final ClusterReconciler reconciler;

    public ClusterController(ClusterService service, ClusterReconciler reconciler) {
        this.service = service;
        this.reconciler = reconciler;
    }

    /**
     * Body: {@code {"name": "<dns-label>", "datacenter": "<edge datacenter>", "version": "v1.36.3",
     * "nodeHealth": {"gracePeriodSeconds": 40, "evictionSeconds": 300}}}; version and nodeHealth (and
     * each of its fields) are optional.
     */
    @Post
    public HttpResponse<ClusterView> create(Caller caller, String project, @Body @Nullable Map<String, Object> body) {
        caller.requireWritable(project);
        RequestFields fields = RequestFields.of(body, Set.of("name", "datacenter", "version", "nodeHealth"));
        String name = fields.dnsLabel("name");
        String datacenter = fields.string("datacenter", true, 63);
        String version = fields.string("version", false, 32);
        NodeHealth nodeHealth = nodeHealth(fields);
        service.validate(datacenter, version).forEach(p -> fields.problem(p.field(), p.message()));
        fields.check();
        ClusterView view = service.create(caller, project, name, datacenter, version, nodeHealth);
        reconciler.wake();
        return HttpResponse.<ClusterView>status(HttpStatus.ACCEPTED).body(view)
                .header("Location", URI.create("/api/v1/projects/" + project + "/clusters/" + name).toString());
    }

    private static NodeHealth nodeHealth(RequestFields fields) {
        return fields.object("nodeHealth", false, Set.of("gracePeriodSeconds", "evictionSeconds"))
                .map(health -> new NodeHealth(
                        health.integer("gracePeriodSeconds", false, NodeHealth.MIN_GRACE_PERIOD_SECONDS, NodeHealth.MAX_GRACE_PERIOD_SECONDS),
                        health.integer("evictionSeconds", false, NodeHealth.MIN_EVICTION_SECONDS, NodeHealth.MAX_EVICTION_SECONDS)))
                .orElse(NodeHealth.DEFAULTS);
    }

    @RouteCondition(WatchRoutes.NOT_WATCHING)
    @Get
    public Page<ClusterView> list(Caller caller, String project, @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        return service.list(caller, project, PageRequest.of(limit, cursor));
    }

    @Get("/{cluster}")
    public ClusterView get(Caller caller, String project, String cluster) {
        return service.get(caller, project, cluster);
    }

    /** Body: {@code {"version": "<newer supported version>"}}. */
    @Patch("/{cluster}")
    public HttpResponse<ClusterView> upgrade(Caller caller, String project, String cluster, @Body @Nullable Map<String, Object> body) {
        caller.requireWritable(project);
        RequestFields fields = RequestFields.of(body, Set.of("version"));
        String version = fields.string("version", true, 32);
        service.validate(null, version).forEach(p -> fields.problem(p.field(), p.message()));
        fields.check();
        ClusterView view = service.upgrade(caller, project, cluster, version);
        reconciler.wake();
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    @Delete("/{cluster}")
    public HttpResponse<ClusterView> delete(Caller caller, String project, String cluster) {
        ClusterView view = service.delete(caller, project, cluster);
        reconciler.wake();
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }
}
