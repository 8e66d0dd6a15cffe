package io.edgeplane.provisioner.script;

/**
 * One problem with a {@link ProvisioningInput}.
 *
 * @param field   the field's path, e.g. {@code labels["site"]}, {@code taints[1].effect}, {@code node.registryMirrors[0]}
 * @param message what is wrong, never quoting a secret
 */
public record InvalidField(String field, String message) {
    @Override
    public String toString() {
        return field + ": " + message;
    }
}
