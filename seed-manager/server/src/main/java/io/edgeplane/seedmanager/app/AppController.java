package io.edgeplane.seedmanager.app;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Map;

/** The app registry of a project: versions of containerised apps that workloads deploy. */
@Controller("/api/v1/projects/{project}/apps")
@ExecuteOn(TaskExecutors.BLOCKING)
public class AppController {
    private final AppService service;

    public AppController(AppService service) {
        this.service = service;
    }

    /**
     * Body: {@code {name, version, title?, description?, containers:[{name, image, env?, ports?, resources?}],
     * inputs?, outputs?, defaultConfiguration?, configurationSchema?}}. 201 for a new version; 200 when an
     * unused version is replaced; 409 once a workload uses it.
     */
    @Post
    public HttpResponse<AppView> register(Caller caller, String project, @Body @Nullable Map<String, Object> body) {
        caller.requireWritable(project);
        AppService.Registered registered = service.register(caller, project, AppRequest.parse(body));
        AppView app = registered.app();
        String location = "/api/v1/projects/" + project + "/apps/" + app.name() + "/versions/" + app.version();
        return HttpResponse.<AppView>status(registered.created() ? HttpStatus.CREATED : HttpStatus.OK).body(app)
                .header("Location", location);
    }

    /** Every version, sorted by name then version; {@code name} keeps the versions of one app. */
    @Get
    public Page<AppView> list(Caller caller, String project, @QueryValue @Nullable String name, @QueryValue @Nullable Integer limit,
                              @QueryValue @Nullable String cursor) {
        return service.list(caller, project, name, PageRequest.of(limit, cursor));
    }

    @Get("/{name}/versions/{version}")
    public AppView get(Caller caller, String project, String name, String version) {
        return service.get(caller, project, name, version);
    }
}
