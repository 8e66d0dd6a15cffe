package io.edgeplane.seedmanager.workload.device;

/** How the seed manager decided a device's local action. */
public enum DeviceActionOutcome {
    /** Taken into the workload's desired state (or it already said the same). */
    adopted,
    /** The operator changed the workload while the device was away: the operator's state was kept. */
    conflict
}
