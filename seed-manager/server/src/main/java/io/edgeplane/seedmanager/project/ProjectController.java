package io.edgeplane.seedmanager.project;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.RequestFields;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.net.URI;
import java.util.Map;
import java.util.Set;

@Controller("/api/v1/projects")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProjectController {
    private final ProjectService service;

    public ProjectController(ProjectService service) {
        this.service = service;
    }

    /** Creates a project. Body: {@code {"name": "<dns-label>", "displayName": "..."}}. Admin only. */
    @Post
    public HttpResponse<Project> create(Caller caller, @Body @Nullable Map<String, Object> body) {
        caller.requireAdmin();
        RequestFields fields = RequestFields.of(body, Set.of("name", "displayName"));
        String name = fields.dnsLabel("name");
        String displayName = fields.string("displayName", false, 200);
        fields.check();
        Project project = service.create(caller, name, displayName);
        return HttpResponse.created(project, URI.create("/api/v1/projects/" + name));
    }

    @Get
    public Page<Project> list(Caller caller, @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        return service.list(caller, PageRequest.of(limit, cursor));
    }

    @Get("/{project}")
    public Project get(Caller caller, String project) {
        return service.get(caller, project);
    }

    /** Deletes a project and its tokens. Admin only. */
    @Delete("/{project}")
    public HttpResponse<Void> delete(Caller caller, String project) {
        service.delete(caller, project);
        return HttpResponse.noContent();
    }
}
