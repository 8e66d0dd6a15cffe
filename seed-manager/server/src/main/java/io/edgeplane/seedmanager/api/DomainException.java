package io.edgeplane.seedmanager.api;

import java.util.List;

/**
 * A refusal by the domain: the request was understood but cannot be done. Services throw these (never
 * HTTP statuses); {@link DomainExceptionHandler} is the one place that turns them into problem+json.
 */
public abstract sealed class DomainException extends RuntimeException
        permits NotFoundException, ConflictException, ForbiddenException, InvalidInputException, UpstreamException {
    private final List<FieldProblem> errors;

    protected DomainException(String detail, List<FieldProblem> errors) {
        super(detail);
        this.errors = List.copyOf(errors);
    }

    /** The bad fields behind the refusal, by field path; empty when the refusal is about the whole object. */
    public List<FieldProblem> errors() {
        return errors;
    }
}
