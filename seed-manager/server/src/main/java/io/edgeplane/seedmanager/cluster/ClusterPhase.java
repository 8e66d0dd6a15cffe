package io.edgeplane.seedmanager.cluster;

/** Lifecycle phase shown by the API. */
public enum ClusterPhase {
    Creating, Running, Updating, Deleting, Failed
}
