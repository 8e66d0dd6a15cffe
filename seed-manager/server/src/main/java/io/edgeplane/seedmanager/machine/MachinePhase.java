package io.edgeplane.seedmanager.machine;

/**
 * Pending (registered, nothing ran yet) -> Provisioning (a delivery runs) -> Joined (the node
 * registered) -> Ready / NotReady (its Ready condition); Failed keeps the reason; Deprovisioning
 * while it is removed.
 */
public enum MachinePhase {
    Pending, Provisioning, Joined, Ready, NotReady, Failed, Deprovisioning
}
