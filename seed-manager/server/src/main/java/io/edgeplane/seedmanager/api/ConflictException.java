package io.edgeplane.seedmanager.api;

import java.util.List;

/** The request is valid but contradicts the current state (a duplicate name, a quota, an object being deleted). */
public final class ConflictException extends DomainException {
    public ConflictException(String detail) {
        this(detail, List.of());
    }

    public ConflictException(String detail, List<FieldProblem> errors) {
        super(detail, errors);
    }
}
