package io.edgeplane.seedmanager.cluster.controlplane;

import io.edgeplane.seedmanager.cluster.ClusterStatus.ComponentCondition;

import java.util.List;
import java.util.Map;

/** Where tenant control planes run: supervised local processes, or pods on a seed cluster. */
public interface ControlPlaneRuntime {

    /** Whether control planes run from the Kubernetes binaries on this host (else from images). */
    default boolean runsHostBinaries() {
        return false;
    }

    /** Ports this runtime needs on the seed host, one per named component (none for pods). */
    default List<String> hostPorts() {
        return List.of();
    }

    /** The apiserver's secure port given the ports held. */
    int apiserverPort(Map<String, Integer> ports);

    /** Names the apiserver certificate must carry besides the external address and kubernetes.default.*. */
    default List<String> extraApiserverSans(ControlPlaneSpec spec) {
        return List.of();
    }

    /** Names etcd's server and peer certificates must carry besides localhost. */
    default List<String> etcdSans(ControlPlaneSpec spec) {
        return List.of();
    }

    /** Component images for a Kubernetes version (pods runtime). */
    default Map<String, String> images(String version) {
        return Map.of();
    }

    /** Makes the control plane match {@code target}; idempotent. Returns each component's condition. */
    List<ComponentCondition> ensure(ControlPlaneTarget target);

    /** The apiserver URL devices and users reach, once known. */
    String endpoint(ControlPlaneTarget target);

    /** Removes everything {@link #ensure} created for the cluster; idempotent. */
    void delete(String clusterId, String namespace);
}
