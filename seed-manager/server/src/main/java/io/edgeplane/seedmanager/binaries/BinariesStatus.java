package io.edgeplane.seedmanager.binaries;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

/**
 * A platform's binaries as the API, a cluster's conditions and the log show them.
 *
 * @param platform       {@code linux-amd64}
 * @param source         {@code release}, {@code go} or {@code directory} (found complete on disk), once known
 * @param step           what the preparation does now, e.g. {@code downloading kube-apiserver v1.36.3 linux/amd64}
 * @param startedAt      when the running (or last) attempt started
 * @param elapsedSeconds how long the running (or last) attempt has taken
 * @param attempts       attempts so far, the running one included
 * @param message        why the last attempt failed
 * @param nextAttemptAt  when a failed preparation is tried again
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record BinariesStatus(String version, String platform, List<String> components, BinariesPhase phase,
                             @Nullable String source, @Nullable String step, @Nullable Instant startedAt,
                             @Nullable Long elapsedSeconds, int attempts, @Nullable String message,
                             @Nullable Instant nextAttemptAt) {
    /** How long a client waiting for a preparation in progress should wait before asking again. */
    static final Duration POLL = Duration.ofSeconds(10);

    public boolean ready() {
        return phase == BinariesPhase.Ready;
    }

    /** One line for conditions, logs and errors; never shows an absent value. */
    public String describe(Instant now) {
        String what = "Kubernetes " + version + " " + platform;
        return switch (phase) {
            case Ready -> what + " ready" + (source != null ? " (" + source + ")" : "");
            case Missing -> what + " not prepared yet";
            case Queued -> what + " queued: another preparation runs first (one at a time)";
            case Preparing -> what + " (" + (source != null ? "source " + source + ", " : "") + elapsedSeconds + " s, attempt "
                    + attempts + "): " + (step != null ? step : "starting");
            case Failed -> what + ": attempt " + attempts + " failed: " + message
                    + (nextAttemptAt != null ? "; next attempt in " + Math.max(0, Duration.between(now, nextAttemptAt).toSeconds()) + " s" : "");
        };
    }

    /** Seconds until asking again is worth it (the Retry-After of an answer that has to wait for these binaries). */
    public long retryAfterSeconds(Instant now) {
        if (phase == BinariesPhase.Failed && nextAttemptAt != null) {
            return Math.max(1, Duration.between(now, nextAttemptAt).toSeconds());
        }
        return POLL.toSeconds();
    }
}
