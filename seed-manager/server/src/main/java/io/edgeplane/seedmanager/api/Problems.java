package io.edgeplane.seedmanager.api;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MutableHttpResponse;

import java.util.List;

/** Builds problem+json responses. */
public final class Problems {
    private Problems() {
    }

    public static Problem of(HttpStatus status, String detail, List<FieldProblem> errors) {
        return new Problem("about:blank", status.getReason(), status.getCode(), detail, errors);
    }

    public static MutableHttpResponse<Problem> response(HttpStatus status, String detail) {
        return response(of(status, detail, List.of()));
    }

    public static MutableHttpResponse<Problem> response(Problem problem) {
        return HttpResponse.<Problem>status(HttpStatus.valueOf(problem.status()))
                .body(problem)
                .contentType(Problem.MEDIA_TYPE);
    }
}
