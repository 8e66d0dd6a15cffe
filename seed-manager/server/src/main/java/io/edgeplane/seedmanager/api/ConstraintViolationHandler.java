package io.edgeplane.seedmanager.api;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.validation.exceptions.ConstraintExceptionHandler;
import jakarta.inject.Singleton;
import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Bean Validation failures of a request answer 422 with one entry per field, named by its path in
 * the request ({@code nodeHealth.gracePeriodSeconds}, {@code workloads[0].name}) rather than by the
 * Java method and argument that received it.
 */
@Produces(Problem.MEDIA_TYPE)
@Singleton
@Replaces(ConstraintExceptionHandler.class)
public class ConstraintViolationHandler implements ExceptionHandler<ConstraintViolationException, HttpResponse<Problem>> {
    @Override
    public HttpResponse<Problem> handle(HttpRequest request, ConstraintViolationException exception) {
        // One entry per field: a name that is both too long and badly formed gets one entry with both messages.
        Map<String, Set<String>> messages = new TreeMap<>();
        exception.getConstraintViolations().forEach(v -> messages.computeIfAbsent(fieldPath(v), f -> new TreeSet<>()).add(v.getMessage()));
        List<FieldProblem> errors = messages.entrySet().stream()
                .map(e -> new FieldProblem(e.getKey(), String.join("; ", e.getValue())))
                .toList();
        InvalidInputException invalid = new InvalidInputException(errors);
        return Problems.response(Problems.of(HttpStatus.UNPROCESSABLE_ENTITY, invalid.getMessage(), invalid.errors()));
    }

    /**
     * The violation's path without the method node, and without the parameter node when the
     * parameter is a body whose properties follow; a query parameter keeps its own name.
     */
    static String fieldPath(ConstraintViolation<?> violation) {
        return fieldPath(violation.getPropertyPath());
    }

    static String fieldPath(Path propertyPath) {
        List<Path.Node> nodes = new ArrayList<>();
        propertyPath.forEach(nodes::add);
        StringBuilder path = new StringBuilder();
        for (int i = 0; i < nodes.size(); i++) {
            Path.Node node = nodes.get(i);
            ElementKind kind = node.getKind();
            if (kind == ElementKind.METHOD || kind == ElementKind.CONSTRUCTOR || kind == ElementKind.RETURN_VALUE) {
                continue;
            }
            if (kind == ElementKind.PARAMETER && i < nodes.size() - 1) {
                continue;
            }
            if (node.isInIterable() && path.length() > 0) {
                if (node.getIndex() != null) {
                    path.append('[').append(node.getIndex()).append(']');
                } else if (node.getKey() != null) {
                    path.append('.').append(node.getKey());
                }
            }
            String name = node.getName();
            if (name == null || name.isEmpty() || kind == ElementKind.CONTAINER_ELEMENT || kind == ElementKind.BEAN) {
                continue;
            }
            if (path.length() > 0) {
                path.append('.');
            }
            path.append(name);
        }
        return path.length() == 0 ? "body" : path.toString();
    }
}
