package io.edgeplane.seedmanager.watch;

import io.edgeplane.seedmanager.api.Problem;
import io.edgeplane.seedmanager.api.Problems;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

import java.util.List;

/** 410 Gone for an expired resume id (list again), 503 with Retry-After for a replica at its stream limit. */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class StreamRefusedHandler implements ExceptionHandler<StreamRefusedException, HttpResponse<Problem>> {
    private static final String RETRY_AFTER_SECONDS = "5";

    @Override
    public HttpResponse<Problem> handle(HttpRequest request, StreamRefusedException exception) {
        if (exception.reason() == StreamRefusedException.Reason.BUSY) {
            return Problems.response(Problems.of(HttpStatus.SERVICE_UNAVAILABLE, exception.getMessage(), List.of()))
                    .header("Retry-After", RETRY_AFTER_SECONDS);
        }
        return Problems.response(Problems.of(HttpStatus.GONE, exception.getMessage(), List.of()));
    }
}
