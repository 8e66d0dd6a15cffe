package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.ClusterClaims;
import io.edgeplane.seedmanager.reconcile.Claims;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;

/** Claims MachineDeployments for reconciling, under the same owner name as clusters. */
@Singleton
public class MachineClaims implements Claims<MachineDeployment> {
    private final MachineDeploymentRepository machines;
    private final String owner;
    private final Duration lease;

    public MachineClaims(MachineDeploymentRepository machines, ClusterClaims clusterClaims) {
        this.machines = machines;
        this.owner = clusterClaims.owner();
        this.lease = clusterClaims.lease();
    }

    public String owner() {
        return owner;
    }

    @Override
    @Transactional
    public Optional<MachineDeployment> claimNext() {
        Instant now = now();
        return machines.nextDue(now).flatMap(id -> {
            machines.lease(id, owner, now.plus(lease));
            return machines.findById(id);
        });
    }

    /** Holds the claim for a long step (an SSH delivery), so no other replica starts the same work. */
    @Transactional
    public void extend(MachineDeployment machine, Duration duration) {
        machines.lease(machine.id(), owner, now().plus(duration));
    }

    @Override
    @Transactional
    public void releaseStaleLeases() {
        machines.releaseLeasesOf(owner, now());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
