package io.edgeplane.seedmanager.api;

import java.util.List;

/**
 * Input that Bean Validation cannot judge alone (cross-field rules, a datacenter that must exist, a
 * version the seed manager supports): one {@link FieldProblem} per bad field path.
 */
public final class InvalidInputException extends DomainException {
    public InvalidInputException(List<FieldProblem> errors) {
        super("the request has " + errors.size() + (errors.size() == 1 ? " invalid field" : " invalid fields"), errors);
    }

    public static InvalidInputException of(String field, String message) {
        return new InvalidInputException(List.of(new FieldProblem(field, message)));
    }

    /** Throws when {@code problems} is not empty. */
    public static void throwIfAny(List<FieldProblem> problems) {
        if (!problems.isEmpty()) {
            throw new InvalidInputException(problems);
        }
    }
}
