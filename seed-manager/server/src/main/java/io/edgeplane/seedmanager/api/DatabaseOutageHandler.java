package io.edgeplane.seedmanager.api;

import io.edgeplane.seedmanager.persistence.DatabaseOutage;
import io.micronaut.data.connection.jdbc.exceptions.CannotGetJdbcConnectionException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * 503 with a Retry-After while the database cannot be reached: nothing was read or changed, the
 * service stays up and recovers by itself once PostgreSQL answers again ({@code GET /health}
 * says when).
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class DatabaseOutageHandler implements ExceptionHandler<CannotGetJdbcConnectionException, HttpResponse<Problem>> {
    private static final String RETRY_AFTER_SECONDS = "5";

    private static final Logger LOG = LoggerFactory.getLogger(DatabaseOutageHandler.class);

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, CannotGetJdbcConnectionException exception) {
        return answer(exception);
    }

    /**
     * 503 when {@code failure} comes from a database that went away (a pooled connection found closed, a broken pipe, a pool that
     * cannot connect), otherwise the 500 of an unexpected error, logged with its stack trace.
     */
    static HttpResponse<Problem> answer(RuntimeException failure) {
        if (!DatabaseOutage.isCause(failure)) {
            LOG.error("Unexpected error occurred: {}", failure.getMessage(), failure);
            return Problems.response(HttpStatus.INTERNAL_SERVER_ERROR, HttpStatus.INTERNAL_SERVER_ERROR.getReason());
        }
        return Problems.response(HttpStatus.SERVICE_UNAVAILABLE, "the database is unreachable (" + DatabaseOutage.reason(failure)
                        + "); nothing was read or changed; the seed manager retries on its own and GET /health says UP once it is back")
                .header("Retry-After", RETRY_AFTER_SECONDS);
    }
}
