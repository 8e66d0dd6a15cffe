package io.edgeplane.seedmanager.cluster.controlplane;

/**
 * Which control plane: the cluster's id (process runtime: its directory and processes) and its
 * project and name (pods runtime: its namespace).
 */
public record ControlPlaneId(String clusterId, String project, String cluster) {

    /** The seed namespace of a pods-runtime control plane. */
    public String namespace() {
        return ControlPlaneSpec.namespaceOf(project, cluster);
    }
}
