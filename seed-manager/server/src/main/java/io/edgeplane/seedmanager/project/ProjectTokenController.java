package io.edgeplane.seedmanager.project;

import io.edgeplane.seedmanager.api.BadRequestProblem;
import io.edgeplane.seedmanager.api.Caller;
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
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

import java.net.URI;

/** Project tokens. Access is checked by {@link ProjectTokenService}. */
@Controller("/api/v1/projects/{project}/tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "tokens")
@UnauthorizedProblem @NotFoundProblem
public class ProjectTokenController {
    private final ProjectTokenService service;

    public ProjectTokenController(ProjectTokenService service) {
        this.service = service;
    }

    @Post
    @Status(HttpStatus.CREATED)
    @Operation(operationId = "createProjectToken",
            summary = "Issue a project token; its secret (token) is in this response only")
    @BadRequestProblem @ForbiddenProblem @InvalidProblem
    public HttpResponse<TokenView> issue(Caller caller, String project, @Body @Valid CreateProjectTokenRequest body) {
        TokenView token = service.issue(caller, project, body);
        return HttpResponse.created(token, URI.create("/api/v1/projects/" + project + "/tokens/" + token.id()));
    }

    @Get
    @Operation(operationId = "listProjectTokens", summary = "List a project's tokens (without their secrets)")
    @InvalidProblem
    public Page<TokenView> list(Caller caller, String project,
                                @QueryValue @Nullable @Min(1) @Max(PageRequest.MAX_LIMIT) Integer limit,
                                @QueryValue @Nullable String cursor) {
        return service.list(caller, project, PageRequest.of(limit, cursor));
    }

    @Delete("/{id}")
    @Status(HttpStatus.NO_CONTENT)
    @Operation(operationId = "revokeProjectToken", summary = "Revoke a token at once; it stays listed with its revocation time")
    @ForbiddenProblem
    public HttpResponse<Void> revoke(Caller caller, String project, String id) {
        service.revoke(caller, project, id);
        return HttpResponse.noContent();
    }
}
