package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import io.edgeplane.seedmanager.reconcile.Claims;
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
 */
@Singleton
public class ClusterClaims implements Claims<Cluster> {
    static final Duration LEASE = Duration.ofSeconds(60);

    private final ClusterRepository clusters;
    private final String owner;

    public ClusterClaims(ClusterRepository clusters, EdgeplaneConfig config) {
        this.clusters = clusters;
        this.owner = hostName() + ":" + Integer.toHexString(config.dataDir().toAbsolutePath().toString().hashCode());
    }

    public String owner() {
        return owner;
    }

    @Override
    @Transactional
    public Optional<Cluster> claimNext() {
        Instant now = now();
        return clusters.nextDue(now).flatMap(id -> {
            clusters.lease(id, owner, now.plus(LEASE));
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
