package io.edgeplane.seedmanager.app;

import java.util.Optional;
import java.util.regex.Pattern;

/** Names of container environment variables, as Kubernetes accepts them; {@code EDGEPLANE_*} is set by Edgeplane. */
public final class EnvironmentNames {
    public static final String RESERVED_PREFIX = "EDGEPLANE_";
    private static final Pattern NAME = Pattern.compile("[-._a-zA-Z][-._a-zA-Z0-9]*");
    private static final int MAX_LENGTH = 256;

    private EnvironmentNames() {
    }

    public static Optional<String> problem(String name) {
        if (name.isEmpty() || name.length() > MAX_LENGTH || !NAME.matcher(name).matches()) {
            return Optional.of("is not a valid environment variable name: letters, digits, '_', '-' and '.', "
                    + "not starting with a digit, at most " + MAX_LENGTH + " characters");
        }
        if (name.startsWith(RESERVED_PREFIX)) {
            return Optional.of("is reserved: Edgeplane sets the " + RESERVED_PREFIX + "* variables itself");
        }
        return Optional.empty();
    }
}
