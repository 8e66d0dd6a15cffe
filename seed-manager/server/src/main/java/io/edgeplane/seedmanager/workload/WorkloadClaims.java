package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.cluster.ClusterClaims;
import io.edgeplane.seedmanager.reconcile.Claims;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Claims workloads for reconciling (under the same owner name as clusters), and applies a ready request's staged versions together. */
@Singleton
public class WorkloadClaims implements Claims<Workload> {
    private final WorkloadReconcileRepository workloads;
    private final String owner;
    private final Duration lease;

    public WorkloadClaims(WorkloadReconcileRepository workloads, ClusterClaims clusterClaims) {
        this.workloads = workloads;
        this.owner = clusterClaims.owner();
        this.lease = clusterClaims.lease();
    }

    public String owner() {
        return owner;
    }

    @Override
    @Transactional
    public Optional<Workload> claimNext() {
        Instant now = now();
        return workloads.nextDue(now).flatMap(id -> {
            workloads.lease(id, owner, now.plus(lease));
            return workloads.findById(id);
        });
    }

    /** All workloads of {@code request} at once, or none of them: locks the group, then applies if every staged version is ready. */
    @Transactional
    public long applyTogether(String request) {
        workloads.lockRequest(request);
        return workloads.applyRequestIfReady(request, now());
    }

    @Override
    @Transactional
    public void releaseStaleLeases() {
        workloads.releaseLeasesOf(owner, now());
    }

    static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
