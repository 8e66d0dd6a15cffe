package io.edgeplane.seedmanager.reconcile;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;

import java.time.Duration;

/**
 * How replicas share reconcile work (application.yml, each settable as EDGEPLANE_RECONCILE_...).
 *
 * @param lease how long a claim on a cluster, device or workload holds: the time a killed replica's
 *              work waits before another takes it over. Shorter fails over sooner; a pass longer than
 *              the lease may run twice (passes are idempotent, and only the holder's result is written)
 */
@ConfigurationProperties("edgeplane.reconcile")
public record ReconcileSettings(@Bindable(defaultValue = "60s") Duration lease) {
    static final Duration MIN_LEASE = Duration.ofSeconds(10);
    static final Duration MAX_LEASE = Duration.ofHours(1);

    public ReconcileSettings {
        if (lease == null || lease.compareTo(MIN_LEASE) < 0 || lease.compareTo(MAX_LEASE) > 0) {
            throw new InvalidConfigurationException("EDGEPLANE_RECONCILE_LEASE must be from " + MIN_LEASE.toSeconds()
                    + "s to " + MAX_LEASE.toMinutes() + "m, got " + (lease == null ? "none" : lease.toSeconds() + "s"));
        }
    }
}
