package io.edgeplane.seedmanager.watch;

import io.edgeplane.seedmanager.api.InvalidInputException;
import io.micronaut.core.annotation.Nullable;

/**
 * Where a client resumes a watch: the last event id it saw, sent back as the {@code Last-Event-ID}
 * header (EventSource does so by itself), or as the {@code resourceVersion} or {@code since} parameter.
 *
 * @param name where it came from, for error messages
 * @param seq  the id
 */
public record ResumeToken(String name, long seq) {

    /** The token the request carries, the header first; null when it carries none (the watch then lists first). */
    public static @Nullable ResumeToken of(@Nullable String lastEventId, @Nullable String resourceVersion, @Nullable String since) {
        if (present(lastEventId)) {
            return parse("Last-Event-ID", lastEventId);
        }
        if (present(resourceVersion)) {
            return parse("resourceVersion", resourceVersion);
        }
        if (present(since)) {
            return parse("since", since);
        }
        return null;
    }

    private static boolean present(@Nullable String value) {
        return value != null && !value.isBlank();
    }

    private static ResumeToken parse(String name, String value) {
        try {
            long seq = Long.parseLong(value.trim());
            if (seq >= 0) {
                return new ResumeToken(name, seq);
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw InvalidInputException.of(name, "must be the id of an event from an earlier watch (a non-negative integer), not '"
                + value + "'");
    }
}
