package io.edgeplane.seedmanager.api;

import io.edgeplane.seedmanager.binaries.BinariesNotReadyException;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** 503 with the preparation's progress and a Retry-After: the answer exists once the binaries do. */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class BinariesNotReadyHandler implements ExceptionHandler<BinariesNotReadyException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, BinariesNotReadyException exception) {
        return Problems.response(HttpStatus.SERVICE_UNAVAILABLE, exception.getMessage())
                .header("Retry-After", Long.toString(exception.retryAfterSeconds()));
    }
}
