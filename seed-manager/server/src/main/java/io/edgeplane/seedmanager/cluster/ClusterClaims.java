package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import io.edgeplane.seedmanager.reconcile.Claims;
import io.edgeplane.seedmanager.reconcile.ReconcileSettings;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/**
 * Claims clusters for reconciling. The owner name is stable for one host and data directory, so a
 * restarted seed manager releases its own stale leases at once instead of waiting for them to expire.
 * The lease (EDGEPLANE_RECONCILE_LEASE, shared by every kind of claim) is how long a killed replica's
 * work waits before another replica takes it over; a pass that outlives it may run twice, which
 * idempotent passes allow, and only the holder's result is written.
 */
@Singleton
public class ClusterClaims implements Claims<Cluster> {
    private final ClusterRepository clusters;
    private final String owner;
    private final Duration lease;

    public ClusterClaims(ClusterRepository clusters, EdgeplaneConfig config, ReconcileSettings settings) {
        this.clusters = clusters;
        this.lease = settings.lease();
        this.owner = hostName() + ":" + Integer.toHexString(config.dataDir().toAbsolutePath().toString().hashCode());
    }

    public String owner() {
        return owner;
    }

    /** How long a claim holds before another replica may take the work over. */
    public Duration lease() {
        return lease;
    }

    @Override
    @Transactional
    public Optional<Cluster> claimNext() {
        Instant now = now();
        return clusters.nextDue(now).flatMap(id -> {
            clusters.lease(id, owner, now.plus(lease));
            return clusters.findById(id);
        });
    }

    @Override
    @Transactional
    public void releaseStaleLeases() {
        clusters.releaseLeasesOf(owner, now());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }

    private static String hostName() {
        try {
            return InetAddress.getLocalHost().getHostName();
        } catch (UnknownHostException e) {
            return "localhost";
        }
    }
}
