package io.edgeplane.seedmanager.api;

import io.edgeplane.seedmanager.persistence.DatabaseOutage;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every failure no closer handler claims. A database that went away surfaces as many exception
 * types (the pool cannot connect, a pooled connection is found closed as a transaction begins, a
 * query or its rollback breaks mid-way), so the outage is recognised by its cause, not its type:
 * 503 with a Retry-After, since nothing was read or changed and the service recovers by itself once
 * PostgreSQL answers again ({@code GET /health} says when). Anything else is a 500, logged with its
 * stack trace.
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class UnhandledFailureHandler implements ExceptionHandler<RuntimeException, HttpResponse<Problem>> {
    private static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger LOG = LoggerFactory.getLogger(UnhandledFailureHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, RuntimeException failure) {
        if (!DatabaseOutage.isCause(failure)) {
            LOG.error("Unexpected error on {} {}: {}", request.getMethod(), request.getPath(), failure.getMessage(), failure);
            return Problems.response(HttpStatus.INTERNAL_SERVER_ERROR, HttpStatus.INTERNAL_SERVER_ERROR.getReason());
        }
        return Problems.response(HttpStatus.SERVICE_UNAVAILABLE, "the database is unreachable (" + DatabaseOutage.reason(failure)
                        + "); nothing was read or changed; the seed manager retries on its own and GET /health says UP once it is back")
                .header("Retry-After", RETRY_AFTER_SECONDS);
    }
}
