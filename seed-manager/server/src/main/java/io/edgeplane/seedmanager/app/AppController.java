package io.edgeplane.seedmanager.app;

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
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The app registry of a project: versions of containerised apps that workloads deploy. Access is checked by {@link AppService}. */
@Controller("/api/v1/projects/{project}/apps")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "apps")
@UnauthorizedProblem @NotFoundProblem
public class AppController {
    private final AppService service;

    public AppController(AppService service) {
        this.service = service;
    }

    @Post
    @Operation(operationId = "registerApp",
            summary = "Register an app version, or replace it while no workload uses it (then it is immutable)")
    @ApiResponse(responseCode = "201", description = "a new version",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AppView.class)))
    @ApiResponse(responseCode = "200", description = "an unused version replaced",
            content = @Content(mediaType = "application/json", schema = @Schema(implementation = AppView.class)))
    @BadRequestProblem @ForbiddenProblem @ConflictProblem @InvalidProblem
    public HttpResponse<AppView> register(Caller caller, String project, @Body @Valid AppRequest body) {
        AppService.Registered registered = service.register(caller, project, body);
        AppView app = registered.app();
        String location = "/api/v1/projects/" + project + "/apps/" + app.name() + "/versions/" + app.version();
        return HttpResponse.<AppView>status(registered.created() ? HttpStatus.CREATED : HttpStatus.OK).body(app)
                .header("Location", location);
    }

    @Get
    @Operation(operationId = "listApps", summary = "List app versions, sorted by name then version")
    @InvalidProblem
    public Page<AppView> list(Caller caller, String project,
                              @Parameter(description = "only the versions of this app") @QueryValue @Nullable String name,
                              @QueryValue @Nullable @Min(1) @Max(PageRequest.MAX_LIMIT) Integer limit,
                              @QueryValue @Nullable String cursor) {
        return service.list(caller, project, name, PageRequest.of(limit, cursor));
    }

    @Get("/{name}/versions/{version}")
    @Operation(operationId = "getAppVersion", summary = "Get one version of an app")
    public AppView get(Caller caller, String project, String name, String version) {
        return service.get(caller, project, name, version);
    }
}
