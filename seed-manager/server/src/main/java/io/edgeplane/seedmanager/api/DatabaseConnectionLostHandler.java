package io.edgeplane.seedmanager.api;

import io.micronaut.data.connection.exceptions.ConnectionException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** A pooled connection found closed as a transaction starts: the database went away (see {@link DatabaseOutageHandler}). */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class DatabaseConnectionLostHandler implements ExceptionHandler<ConnectionException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConnectionException exception) {
        return DatabaseOutageHandler.answer(exception);
    }
}
