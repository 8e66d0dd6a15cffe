package io.edgeplane.seedmanager.workload;

/**
 * The states of a workload (and of its staged version), with the meanings operators know from the
 * source documents. Names are the API's values.
 */
public enum WorkloadState {
    /** Accepted; the cluster has not been given the new version yet (queued while unreachable). */
    pending_deploy,
    /** Start accepted; not yet passed to the cluster. */
    pending_start,
    /** Stop accepted; not yet passed to the cluster. */
    pending_stop,
    /** Apply of the ready staged version accepted; not yet passed to the cluster. */
    pending_apply,
    /** The cluster holds the change; its devices have not acted on it yet. */
    received,
    /** Pods are being created on the devices (image pull, container start). */
    deploying,
    /** Every pod of the workload is running and ready. */
    running,
    /** Stop passed to the cluster; pods are terminating. */
    stopping,
    /** Stopped: everything stays deployed, nothing runs; can be started again. */
    stopped,
    /** Start passed to the cluster; pods are coming up. */
    starting,
    /** It does not run; the message says why (image pull error, crash loop, ...). */
    failed,
    /** Staged version: images are being pre-pulled onto the devices. */
    downloading,
    /** Staged version: every image is on every device; waiting for apply. */
    ready,
    /** A device of the workload (or the cluster) cannot be reached; the last known state is in the message. */
    unreachable,
    /** Only a staged version exists; nothing of this workload runs yet. */
    staged
}
