package io.edgeplane.seedmanager.api;

import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import jakarta.inject.Singleton;

/** The one place where a domain refusal becomes an HTTP status. */
@Produces(Problem.MEDIA_TYPE)
@Singleton
public class DomainExceptionHandler implements ExceptionHandler<DomainException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, DomainException exception) {
        return Problems.response(Problems.of(status(exception), exception.getMessage(), exception.errors()));
    }

    static HttpStatus status(DomainException exception) {
        if (exception instanceof NotFoundException) {
            return HttpStatus.NOT_FOUND;
        }
        if (exception instanceof ConflictException) {
            return HttpStatus.CONFLICT;
        }
        if (exception instanceof ForbiddenException) {
            return HttpStatus.FORBIDDEN;
        }
        if (exception instanceof InvalidInputException) {
            return HttpStatus.UNPROCESSABLE_ENTITY;
        }
        return HttpStatus.BAD_GATEWAY;
    }
}
