package io.edgeplane.seedmanager.binaries;

import java.time.Instant;

/**
 * Something needs binaries that are still being prepared (or wait for their next attempt): the
 * caller should come back later. The message says what is going on.
 */
public class BinariesNotReadyException extends RuntimeException {
    private final long retryAfterSeconds;

    public BinariesNotReadyException(String what, BinariesStatus status, Instant now) {
        super(what + " waits for its binaries: " + status.describe(now));
        this.retryAfterSeconds = status.retryAfterSeconds(now);
    }

    public long retryAfterSeconds() {
        return retryAfterSeconds;
    }
}
