package io.edgeplane.provisioner.script;

import java.util.List;
import java.util.stream.Collectors;

/** A script was asked for with input that fails validation; names every invalid field. */
public final class InvalidProvisioningInputException extends IllegalArgumentException {
    private final transient List<InvalidField> errors;

    public InvalidProvisioningInputException(List<InvalidField> errors) {
        super("invalid provisioning input: " + errors.stream().map(InvalidField::toString).collect(Collectors.joining("; ")));
        this.errors = List.copyOf(errors);
    }

    public List<InvalidField> errors() {
        return errors;
    }
}
