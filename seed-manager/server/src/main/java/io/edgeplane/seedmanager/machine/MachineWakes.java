package io.edgeplane.seedmanager.machine;

import jakarta.inject.Singleton;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** Brings a device's reconcile forward because something it shows changed in its cluster. */
@Singleton
public class MachineWakes {
    private final MachineDeploymentRepository machines;
    private final MachineDeploymentReconciler reconciler;

    public MachineWakes(MachineDeploymentRepository machines, MachineDeploymentReconciler reconciler) {
        this.machines = machines;
        this.reconciler = reconciler;
    }

    /** Reconciles the device of {@code node} now, if the cluster has one of that name. */
    public void wake(String clusterId, String node) {
        if (machines.wake(clusterId, node, Instant.now().truncatedTo(ChronoUnit.MICROS)) > 0) {
            reconciler.wake();
        }
    }
}
