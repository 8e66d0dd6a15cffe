package io.edgeplane.seedmanager.api;

import io.micronaut.data.exceptions.DataAccessException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A query that failed because its connection broke is an outage (see {@link DatabaseOutageHandler}); any other is a 500. */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class DatabaseQueryFailedHandler implements ExceptionHandler<DataAccessException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, DataAccessException exception) {
        return DatabaseOutageHandler.answer(exception);
    }
}
