package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.api.ApiException;
import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.FieldProblem;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.QueryValue;

import java.time.Duration;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Produces;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.List;

/**
 * Admin kubeconfigs of a cluster (owners and admins). Live calls: issuing and revoking change RBAC
 * in the tenant cluster before answering.
 */
@Controller("/api/v1/projects/{project}/clusters/{cluster}")
@ExecuteOn(TaskExecutors.BLOCKING)
public class KubeconfigController {
    private final ClusterCredentials credentials;

    public KubeconfigController(ClusterCredentials credentials) {
        this.credentials = credentials;
    }

    /**
     * A new admin kubeconfig (YAML), valid for {@code ?lifetime=} (e.g. 15m) up to
     * edgeplane.kubeconfig.lifetime (1 h by default), which is also the default.
     */
    @Get("/kubeconfig")
    @Produces("application/yaml")
    public String kubeconfig(Caller caller, String project, String cluster, @QueryValue @Nullable String lifetime) {
        return credentials.issue(caller, project, cluster, lifetime == null ? null : parse(lifetime));
    }

    private static Duration parse(String lifetime) {
        try {
            return lifetime.matches("[0-9]+[smh]")
                    ? Duration.parse("PT" + lifetime.toUpperCase(java.util.Locale.ROOT))
                    : Duration.parse(lifetime);
        } catch (java.time.format.DateTimeParseException e) {
            throw ApiException.invalid(List.of(new FieldProblem("lifetime", "must be a duration such as 90s, 15m or 1h")));
        }
    }

    @Get("/kubeconfigs")
    public List<ClusterCredential> list(Caller caller, String project, String cluster) {
        return credentials.list(caller, project, cluster);
    }

    @Delete("/kubeconfigs/{id}")
    public HttpResponse<Void> revoke(Caller caller, String project, String cluster, String id) {
        credentials.revoke(caller, project, cluster, id);
        return HttpResponse.noContent();
    }
}
