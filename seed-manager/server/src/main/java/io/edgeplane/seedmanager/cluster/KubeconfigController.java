package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.api.BadGatewayProblem;
import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictProblem;
import io.edgeplane.seedmanager.api.ForbiddenProblem;
import io.edgeplane.seedmanager.api.InvalidProblem;
import io.edgeplane.seedmanager.api.Lifetimes;
import io.edgeplane.seedmanager.api.NotFoundProblem;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.UnauthorizedProblem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.annotation.Status;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.media.Content;
import io.swagger.v3.oas.annotations.media.Schema;
import io.swagger.v3.oas.annotations.responses.ApiResponse;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Pattern;

/**
 * Admin kubeconfigs of a cluster (owners and admins). Live calls: issuing and revoking change RBAC
 * in the tenant cluster before answering. Access is checked by {@link ClusterCredentials}.
 */
@Controller("/api/v1/projects/{project}/clusters/{cluster}")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "kubeconfigs")
@UnauthorizedProblem @NotFoundProblem
public class KubeconfigController {
    private static final String YAML = "application/yaml";

    private final ClusterCredentials credentials;

    public KubeconfigController(ClusterCredentials credentials) {
        this.credentials = credentials;
    }

    @Get("/kubeconfig")
    @Produces(YAML)
    @Operation(operationId = "getKubeconfig",
            summary = "Issue a new admin kubeconfig (YAML) for a Running cluster; a live call to its apiserver")
    @ApiResponse(responseCode = "200", description = "the kubeconfig",
            content = @Content(mediaType = YAML, schema = @Schema(type = "string")))
    @ForbiddenProblem @ConflictProblem @InvalidProblem @BadGatewayProblem
    public String kubeconfig(Caller caller, String project, String cluster,
                             @Parameter(description = "how long the kubeconfig is valid, e.g. 90s, 15m, 1h or an ISO-8601 "
                                     + "duration; at most (and by default) edgeplane.kubeconfig.lifetime")
                             @QueryValue @Nullable @Pattern(regexp = Lifetimes.PATTERN, message = Lifetimes.MESSAGE)
                             String lifetime) {
        return credentials.issue(caller, project, cluster, lifetime == null ? null : Lifetimes.parse(lifetime));
    }

    @Get("/kubeconfigs")
    @Operation(operationId = "listKubeconfigs", summary = "List the admin kubeconfigs handed out for a cluster, oldest first")
    @InvalidProblem
    public Page<KubeconfigView> list(Caller caller, String project, String cluster,
                                     @QueryValue @Nullable @Min(1) @Max(PageRequest.MAX_LIMIT) Integer limit,
                                     @QueryValue @Nullable String cursor) {
        return credentials.list(caller, project, cluster, PageRequest.of(limit, cursor));
    }

    @Delete("/kubeconfigs/{id}")
    @Status(HttpStatus.NO_CONTENT)
    @Operation(operationId = "revokeKubeconfig",
            summary = "Revoke an admin kubeconfig: its RBAC binding is deleted in the tenant cluster (live call)")
    @ForbiddenProblem @BadGatewayProblem
    public HttpResponse<Void> revoke(Caller caller, String project, String cluster, String id) {
        credentials.revoke(caller, project, cluster, id);
        return HttpResponse.noContent();
    }
}
