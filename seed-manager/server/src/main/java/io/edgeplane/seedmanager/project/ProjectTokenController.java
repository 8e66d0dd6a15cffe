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
import java.time.Instant;
import java.util.Map;
import java.util.Set;

@Controller("/api/v1/projects/{project}/tokens")
@ExecuteOn(TaskExecutors.BLOCKING)
public class ProjectTokenController {
    private final ProjectTokenService service;

    public ProjectTokenController(ProjectTokenService service) {
        this.service = service;
    }

    /**
     * Issues a token. Body: {@code {"role": "owner"|"viewer", "description": "...", "expiresAt": "<RFC 3339>"}};
     * expiry defaults to 24 hours and may be at most 365 days away. The secret is in this response only.
     */
    @Post
    public HttpResponse<TokenView> issue(Caller caller, String project, @Body @Nullable Map<String, Object> body) {
        caller.requireWritable(project);
        RequestFields fields = RequestFields.of(body, Set.of("role", "description", "expiresAt"));
        String role = fields.oneOf("role", true, Set.of("owner", "viewer"));
        String description = fields.string("description", false, 200);
        Instant requested = fields.instant("expiresAt");
        Instant expiresAt = ProjectTokenService.expiry(requested, Instant.now());
        if (expiresAt == null) {
            fields.problem("expiresAt", "must be in the future and at most 365 days away");
        }
        fields.check();
        TokenView token = service.issue(caller, project, role, description, expiresAt);
        return HttpResponse.created(token, URI.create("/api/v1/projects/" + project + "/tokens/" + token.id()));
    }

    @Get
    public Page<TokenView> list(Caller caller, String project,
                                @QueryValue @Nullable Integer limit, @QueryValue @Nullable String cursor) {
        return service.list(caller, project, PageRequest.of(limit, cursor));
    }

    /** Revokes a token at once; it stays listed with its revocation time. */
    @Delete("/{id}")
    public HttpResponse<Void> revoke(Caller caller, String project, String id) {
        service.revoke(caller, project, id);
        return HttpResponse.noContent();
    }
}
