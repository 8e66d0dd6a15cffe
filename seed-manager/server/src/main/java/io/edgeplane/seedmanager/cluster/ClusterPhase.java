package io.edgeplane.seedmanager.cluster;

/** Lifecycle phase shown by the API; the names are the API's values. */
public enum ClusterPhase {
    Creating, Running, Updating, Deleting, Failed;

    /** The tenant apiserver serves (an upgrade rolls one component at a time), so devices and workloads can be worked on. */
    public boolean controlPlaneRuns() {
        return this == Running || this == Updating;
    }
}
