package io.edgeplane.provisioner.ssh;

import java.time.Duration;
import java.util.Objects;

/**
 * Time limits and retries of a delivery.
 *
 * @param connectTimeout bounds each step before the script starts: the TCP connection, key exchange
 *                       with authentication, and opening the command channel
 * @param commandTimeout how long the script may run; then it and its children are killed on the device
 * @param attempts       connections tried in total while the device is unreachable (or the connection
 *                       drops before the script started); other failures are never retried
 * @param initialBackoff pause after the first failed attempt, doubled after each further one
 */
public record SshPolicy(Duration connectTimeout, Duration commandTimeout, int attempts, Duration initialBackoff) {
    /** At most this many attempts, so that a misconfiguration cannot make a delivery retry for hours. */
    public static final int MAX_ATTEMPTS = 10;

    public SshPolicy {
        requirePositive(connectTimeout, "connectTimeout");
        requirePositive(commandTimeout, "commandTimeout");
        Objects.requireNonNull(initialBackoff, "initialBackoff");
        if (initialBackoff.isNegative()) {
            throw new IllegalArgumentException("initialBackoff must not be negative: " + initialBackoff);
        }
        if (attempts < 1 || attempts > MAX_ATTEMPTS) {
            throw new IllegalArgumentException("attempts must be 1.." + MAX_ATTEMPTS + ", not " + attempts);
        }
    }

    /**
     * 15 s per connection step; 20 minutes for a script (installing containerd from a slow mirror
     * takes minutes); 4 attempts 2, 4 and 8 s apart, so a device that is rebooting gets about half a
     * minute to come back.
     */
    public static SshPolicy defaults() {
        return new SshPolicy(Duration.ofSeconds(15), Duration.ofMinutes(20), 4, Duration.ofSeconds(2));
    }

    /** The pause before attempt {@code attempt + 1}. */
    Duration backoffAfter(int attempt) {
        return initialBackoff.multipliedBy(1L << Math.min(attempt - 1, 20));
    }

    private static void requirePositive(Duration duration, String name) {
        Objects.requireNonNull(duration, name);
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + duration);
        }
    }
}
