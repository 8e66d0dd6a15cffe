package io.edgeplane.seedmanager.api;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.order.Ordered;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.RequestFilter;
import io.micronaut.http.annotation.ServerFilter;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;

import java.util.Optional;

/**
 * Authenticates every API and metrics request by its bearer token. A missing, unknown, expired or
 * revoked token gets 401 without saying which.
 */
@ServerFilter({"/api/**", BearerAuthFilter.METRICS_PATH})
public class BearerAuthFilter implements Ordered {
    /** The name of the bearer scheme in the OpenAPI document. */
    public static final String SECURITY_SCHEME = "bearer";
    static final String METRICS_PATH = "/prometheus";
    static final int ORDER = 0;
    private static final String SCHEME = "Bearer ";

    private final AdminToken adminToken;
    private final ProjectTokenVerifier projectTokens;

    public BearerAuthFilter(AdminToken adminToken, ProjectTokenVerifier projectTokens) {
        this.adminToken = adminToken;
        this.projectTokens = projectTokens;
    }

    @RequestFilter
    @ExecuteOn(TaskExecutors.BLOCKING)
    public @Nullable HttpResponse<?> authenticate(HttpRequest<?> request) {
        Optional<Caller> caller = presentedToken(request).flatMap(this::resolve);
        if (caller.isEmpty()) {
            return Problems.response(HttpStatus.UNAUTHORIZED, "a valid bearer token is required")
                    .header(HttpHeaders.WWW_AUTHENTICATE, "Bearer realm=\"edgeplane\"");
        }
        if (request.getPath().equals(METRICS_PATH) && !caller.get().isAdmin()) {
            // Metrics describe the whole seed manager, not one tenant.
            return Problems.response(HttpStatus.FORBIDDEN, "metrics need the admin token");
        }
        request.setAttribute(CallerArgumentBinder.ATTRIBUTE, caller.get());
        return null;
    }

    private Optional<Caller> resolve(String token) {
        if (adminToken.matches(token)) {
            return Optional.of(Caller.admin());
        }
        return projectTokens.verify(token);
    }

    private static Optional<String> presentedToken(HttpRequest<?> request) {
        return request.getHeaders().getAuthorization()
                .filter(h -> h.regionMatches(true, 0, SCHEME, 0, SCHEME.length()))
                .map(h -> h.substring(SCHEME.length()).strip())
                .filter(t -> !t.isEmpty());
    }

    @Override
    public int getOrder() {
        return ORDER;
    }
}
