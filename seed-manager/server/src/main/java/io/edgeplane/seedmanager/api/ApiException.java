package io.edgeplane.seedmanager.api;

import io.micronaut.http.HttpStatus;

import java.util.List;

/**
 * An error the API reports as problem+json.
 *
 * @deprecated services throw the domain exceptions ({@link NotFoundException}, {@link ConflictException},
 * {@link ForbiddenException}, {@link InvalidInputException}, {@link UpstreamException}); this class goes
 * once the last packages are converted (issue 12).
 */
@Deprecated
public class ApiException extends RuntimeException {
    private final HttpStatus status;
    private final List<FieldProblem> errors;

    public ApiException(HttpStatus status, String detail, List<FieldProblem> errors) {
        super(detail);
        this.status = status;
        this.errors = List.copyOf(errors);
    }

    public static ApiException notFound(String kind, String name) {
        return new ApiException(HttpStatus.NOT_FOUND, kind + " " + name + " not found", List.of());
    }

    public static ApiException forbidden(String detail) {
        return new ApiException(HttpStatus.FORBIDDEN, detail, List.of());
    }

    public static ApiException conflict(String detail) {
        return new ApiException(HttpStatus.CONFLICT, detail, List.of());
    }

    public static ApiException invalid(List<FieldProblem> errors) {
        return new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "the request has " + errors.size()
                + (errors.size() == 1 ? " invalid field" : " invalid fields"), errors);
    }

    public static ApiException badRequest(String detail) {
        return new ApiException(HttpStatus.BAD_REQUEST, detail, List.of());
    }

    public HttpStatus status() {
        return status;
    }

    public List<FieldProblem> errors() {
        return errors;
    }

    public Problem toProblem() {
        return Problems.of(status, getMessage(), errors);
    }
}
