package io.edgeplane.seedmanager.project;

import io.edgeplane.seedmanager.api.BadRequestProblem;
import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictProblem;
import io.edgeplane.seedmanager.api.ForbiddenProblem;
import io.edgeplane.seedmanager.api.InvalidProblem;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.http.HttpStatus;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.net.URI;

/** Projects. Access is checked by {@link ProjectService}; this class only speaks HTTP. */
@Controller("/api/v1/projects")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "projects")
@UnauthorizedProblem
public class ProjectController {
    private final ProjectService service;

    public ProjectController(ProjectService service) {
        this.service = service;
    }

    @Post
    @Status(HttpStatus.CREATED)
    @Operation(operationId = "createProject", summary = "Create a project (admin only)")
    @BadRequestProblem @ForbiddenProblem @ConflictProblem @InvalidProblem
    public HttpResponse<ProjectView> create(Caller caller, @Body @Valid CreateProjectRequest body) {
        ProjectView project = service.create(caller, body);
        return HttpResponse.created(project, URI.create("/api/v1/projects/" + project.name()));
    }

    @Get
    @Operation(operationId = "listProjects", summary = "List the projects the token may see, by name")
    @InvalidProblem
    public Page<ProjectView> list(Caller caller,
                              @QueryValue @Nullable @Min(1) @Max(PageRequest.MAX_LIMIT) Integer limit,
                              @QueryValue @Nullable String cursor) {
        return service.list(caller, PageRequest.of(limit, cursor));
    }

    @Get("/{project}")
    @Operation(operationId = "getProject", summary = "Get a project")
    @NotFoundProblem
    public ProjectView get(Caller caller, String project) {
        return service.get(caller, project);
    }

    @Patch("/{project}")
    @Operation(operationId = "updateProject",
            summary = "Change a project's display name (owners) or quota (admin only); absent fields stay as they are")
    @BadRequestProblem @ForbiddenProblem @NotFoundProblem @InvalidProblem
    public ProjectView update(Caller caller, String project, @Body @Valid UpdateProjectRequest body) {
        return service.update(caller, project, body);
    }

    @Delete("/{project}")
    @Status(HttpStatus.NO_CONTENT)
    @Operation(operationId = "deleteProject", summary = "Delete a project and its tokens (admin only; the project must have no clusters)")
    @ForbiddenProblem @NotFoundProblem @ConflictProblem
    public HttpResponse<Void> delete(Caller caller, String project) {
        service.delete(caller, project);
        return HttpResponse.noContent();
    }
}
