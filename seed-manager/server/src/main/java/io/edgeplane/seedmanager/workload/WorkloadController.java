package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.RequestFields;
import io.edgeplane.seedmanager.watch.WatchRoutes;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.RouteCondition;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Workloads of a cluster. Operations answer 202: they are recorded (state {@code pending_*}) and
 * the reconciler carries them out, at once or when the cluster and its devices are reachable.
 */
@Controller("/api/v1/projects/{project}/clusters/{cluster}/workloads")
@ExecuteOn(TaskExecutors.BLOCKING)
public class WorkloadController {
    private static final int MAX_NAMES = 100;

    private final WorkloadService service;
    private final ApplicationEventPublisher<WorkloadsChanged> events;

    public WorkloadController(WorkloadService service, ApplicationEventPublisher<WorkloadsChanged> events) {
        this.service = service;
        this.events = events;
    }

    /**
     * Body: {@code {name, title?, app, version, nodes?, configuration?, env?, staged?, instantlyApply?}}, or
     * {@code {"workloads":[...]}} deployed together (all or none). The same name again updates the workload.
     */
    @Post
    public HttpResponse<?> deploy(Caller caller, String project, String cluster, @Body @Nullable Map<String, Object> body) {
        caller.requireWritable(project);
        WorkloadRequest request = WorkloadRequest.parse(body);
        List<WorkloadView> views = service.deploy(caller, project, cluster, request);
        changed(project, cluster);
        if (request.batch()) {
            return HttpResponse.status(HttpStatus.ACCEPTED).body(new WorkloadView.Items(views));
        }
        return HttpResponse.status(HttpStatus.ACCEPTED).body(views.get(0))
                .header("Location", "/api/v1/projects/" + project + "/clusters/" + cluster + "/workloads/" + views.get(0).name());
    }

    /** Applies the ready staged versions of several workloads together: {@code {"names":["a","b"]}}. */
    @Post("/apply")
    public HttpResponse<WorkloadView.Items> applyAll(Caller caller, String project, String cluster,
                                                     @Body @Nullable Map<String, Object> body) {
        caller.requireWritable(project);
        RequestFields fields = RequestFields.of(body, Set.of("names"));
        List<String> names = fields.strings("names", MAX_NAMES, 63);
        if (names == null && !fields.present("names")) {
            fields.problem("names", "is required: the workloads whose staged versions to apply");
        } else if (names != null) {
            if (names.isEmpty()) {
                fields.problem("names", "must name at least one workload");
            }
            Set<String> seen = new HashSet<>();
            for (int i = 0; i < names.size(); i++) {
                if (!seen.add(names.get(i))) {
                    fields.problem("names[" + i + "]", names.get(i) + " is listed twice");
                }
            }
        }
        fields.check();
        List<WorkloadView> views = service.apply(caller, project, cluster, names, true);
        changed(project, cluster);
        return HttpResponse.status(HttpStatus.ACCEPTED).body(new WorkloadView.Items(views));
    }

    @Post("/{name}/apply")
    public HttpResponse<WorkloadView> apply(Caller caller, String project, String cluster, String name) {
        List<WorkloadView> views = service.apply(caller, project, cluster, List.of(name), false);
        changed(project, cluster);
        return HttpResponse.status(HttpStatus.ACCEPTED).body(views.get(0));
    }

    @Post("/{name}/start")
    public HttpResponse<WorkloadView> start(Caller caller, String project, String cluster, String name) {
        WorkloadView view = service.start(caller, project, cluster, name);
        changed(project, cluster);
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    /** Scales to zero; everything stays deployed and the workload can be started again. */
    @Post("/{name}/stop")
    public HttpResponse<WorkloadView> stop(Caller caller, String project, String cluster, String name) {
        WorkloadView view = service.stop(caller, project, cluster, name);
        changed(project, cluster);
        return HttpResponse.status(HttpStatus.ACCEPTED).body(view);
    }

    /** Undeploys the workload (202), or with {@code staged=true} only its staged version (200). */
    @Delete("/{name}")
    public HttpResponse<WorkloadView> undeploy(Caller caller, String project, String cluster, String name,
                                               @QueryValue @Nullable Boolean staged) {
        WorkloadService.Undeployed undeployed = service.undeploy(caller, project, cluster, name, Boolean.TRUE.equals(staged));
        changed(project, cluster);
        return HttpResponse.status(undeployed.accepted() ? HttpStatus.ACCEPTED : HttpStatus.OK).body(undeployed.workload());
    }

    /** Sorted by name; {@code name} is a prefix, {@code node} a device, {@code state} the workload's or its staged version's. */
    @RouteCondition(WatchRoutes.NOT_WATCHING)
    @Get
    public Page<WorkloadView> list(Caller caller, String project, String cluster, @QueryValue @Nullable String name,
                                   @QueryValue @Nullable String node, @QueryValue @Nullable String state,
                                   @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        return service.list(caller, project, cluster, name, node, state, PageRequest.of(limit, cursor));
    }

    @Get("/{name}")
    public WorkloadView get(Caller caller, String project, String cluster, String name) {
        return service.get(caller, project, cluster, name);
    }

    private void changed(String project, String cluster) {
        events.publishEvent(new WorkloadsChanged(project, cluster));
    }
}
