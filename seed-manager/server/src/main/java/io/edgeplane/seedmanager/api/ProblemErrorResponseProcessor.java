package io.edgeplane.seedmanager.api;

import io.micronaut.http.HttpMethod;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

import java.util.List;

/**
 * Renders the framework's own errors (unknown route, wrong method, unreadable JSON, ...) as
 * problem+json too, so clients parse one error shape.
 */
@Singleton
public class ProblemErrorResponseProcessor implements ErrorResponseProcessor<Problem> {
    @Override
    public MutableHttpResponse<Problem> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        if (context.getRequest().getMethod() == HttpMethod.HEAD) {
            return (MutableHttpResponse<Problem>) response;
        }
        HttpStatus status = response.status();
        List<FieldProblem> errors = context.getErrors().stream()
                .filter(e -> e.getPath().isPresent())
                .map(e -> new FieldProblem(e.getPath().get(), e.getMessage()))
                .toList();
        String detail = context.getErrors().stream()
                .filter(e -> e.getPath().isEmpty())
                .map(Error::getMessage)
                .findFirst()
                .orElse(status.getReason());
        return response.body(Problems.of(status, detail, errors)).contentType(Problem.MEDIA_TYPE);
    }
}
