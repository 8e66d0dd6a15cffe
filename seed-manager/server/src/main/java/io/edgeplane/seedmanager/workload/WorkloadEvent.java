package io.edgeplane.seedmanager.workload;

/**
 * What moves a workload between states: an operator's operation, or a fact the reconciler
 * observed in the cluster.
 */
public enum WorkloadEvent {
    // Operations (the API).
    /** Standard deploy or update: the new version replaces the live one. */
    DEPLOY,
    /** Staged deploy: a version to pre-pull, beside whatever runs. */
    STAGE,
    /** Make the ready staged version the live one. */
    APPLY,
    START,
    STOP,

    // Facts about the live version (the reconciler).
    /** The pending operation has been applied to the tenant cluster. */
    PUSHED,
    /** Pods exist but are not all ready (pulling, creating, restarting). */
    PODS_PENDING,
    PODS_READY,
    /** A pod cannot run: image pull error, crash loop, invalid configuration. */
    PODS_FAILED,
    /** Scaled to zero, pods still terminating. */
    PODS_TERMINATING,
    /** Scaled to zero and no pod left. */
    PODS_GONE,
    /** A device of the workload (or the control plane) does not answer. */
    NODE_UNREACHABLE,

    // Facts about the staged version's pre-pull (the reconciler).
    PULL_STARTED,
    PULL_DONE,
    PULL_FAILED
}
