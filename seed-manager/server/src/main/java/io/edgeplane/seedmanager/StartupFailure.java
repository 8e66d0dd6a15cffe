package io.edgeplane.seedmanager;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.edgeplane.seedmanager.datacenter.InvalidSeedException;
import io.edgeplane.seedmanager.persistence.DatabaseUnavailableException;
import io.edgeplane.seedmanager.persistence.EmbeddedPostgresException;
import io.micronaut.context.exceptions.ConfigurationException;
import io.micronaut.core.convert.exceptions.ConversionErrorException;

import java.net.BindException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Why the seed manager did not start, as one message. A refusal the operator can act on (invalid
 * seed, bad setting, data directory in use, database unreachable, port taken) is its own message,
 * without the framework's wrapping and stack traces; anything else is unexpected and keeps its trace.
 */
record StartupFailure(String message, boolean expected) {
    private static final Pattern PROPERTY = Pattern.compile("Error resolving property value \\[([^\\]]+)]\\.(.*)");
    private static final List<Class<? extends Throwable>> REFUSALS = List.of(InvalidSeedException.class,
            InvalidConfigurationException.class, EmbeddedPostgresException.class, DatabaseUnavailableException.class);

    static StartupFailure of(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            Throwable current = cause;
            if (REFUSALS.stream().anyMatch(type -> type.isInstance(current))) {
                return new StartupFailure(current.getMessage(), true);
            }
            if (current instanceof BindException) {
                return new StartupFailure("cannot listen on the HTTP or HTTPS port (MICRONAUT_SERVER_PORT, EDGEPLANE_HTTPS_PORT): " + current.getMessage(), true);
            }
        }
        return configurationProblem(failure).orElseGet(() -> new StartupFailure(deepest(failure).toString(), false));
    }

    /**
     * Micronaut's own errors about a setting it cannot convert or resolve, reduced to the property (and
     * its environment variable) and the reason, without the injection path it wraps them in.
     */
    private static Optional<StartupFailure> configurationProblem(Throwable failure) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            Matcher property = PROPERTY.matcher(String.valueOf(cause.getMessage()));
            if (property.find()) {
                String name = property.group(1);
                String variable = name.toUpperCase(Locale.ROOT).replace('.', '_').replace('-', '_');
                return Optional.of(new StartupFailure("invalid setting " + variable + " (" + name + "): " + property.group(2).strip(), true));
            }
            if (cause instanceof ConfigurationException || cause instanceof ConversionErrorException) {
                return Optional.of(new StartupFailure("invalid configuration: " + cause.getMessage().lines().findFirst().orElse(""), true));
            }
        }
        return Optional.empty();
    }

    private static Throwable deepest(Throwable failure) {
        Throwable deepest = failure;
        while (deepest.getCause() != null && deepest.getCause() != deepest) {
            deepest = deepest.getCause();
        }
        return deepest;
    }
}
