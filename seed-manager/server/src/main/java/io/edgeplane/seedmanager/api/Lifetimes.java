package io.edgeplane.seedmanager.api;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;

/**
 * The {@code ?lifetime=} query parameter of calls that hand out something short-lived (a kubeconfig, a script link):
 * {@code 90s}, {@code 15m}, {@code 1h} or an ISO-8601 duration. Each call checks the range it allows.
 */
public final class Lifetimes {
    /** For {@code @Pattern} on the parameter: rejects anything else with 422 before the call runs. */
    public static final String PATTERN = "^([0-9]{1,6}[smh]|P[0-9DTHMS.]{1,30})$";
    public static final String MESSAGE = "must be a duration such as 90s, 15m or 1h";
    public static final String FIELD = "lifetime";

    private Lifetimes() {
    }

    /** Parses a value that matched {@link #PATTERN}; an ISO-8601 form that still does not parse is a 422 on {@link #FIELD}. */
    public static Duration parse(String lifetime) {
        try {
            return lifetime.matches("[0-9]+[smh]")
                    ? Duration.parse("PT" + lifetime.toUpperCase(Locale.ROOT))
                    : Duration.parse(lifetime);
        } catch (DateTimeParseException e) {
            throw InvalidInputException.of(FIELD, MESSAGE);
        }
    }

    /** {@code requested}, or {@code fallback} when absent; 422 on {@link #FIELD} unless it is positive and at most {@code max}. */
    public static Duration within(Duration requested, Duration fallback, Duration max) {
        Duration lifetime = requested == null ? fallback : requested;
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(max) > 0) {
            throw InvalidInputException.of(FIELD, "must be a positive duration of at most " + describe(max) + " (e.g. 15m)");
        }
        return lifetime;
    }

    private static String describe(Duration duration) {
        return duration.toSeconds() % 3600 == 0 ? duration.toHours() + "h"
                : duration.toSeconds() % 60 == 0 ? duration.toMinutes() + "m" : duration.toSeconds() + "s";
    }
}
