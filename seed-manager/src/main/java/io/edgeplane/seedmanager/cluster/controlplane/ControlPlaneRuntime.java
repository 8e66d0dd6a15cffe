package io.edgeplane.seedmanager.cluster.controlplane;

import io.edgeplane.seedmanager.cluster.ClusterStatus.ComponentCondition;

import java.util.List;

/** Where tenant control planes run: supervised local processes, or pods on a seed cluster. */
public interface ControlPlaneRuntime {

    /** Makes the control plane match {@code target}; idempotent. Returns each component's condition. */
    List<ComponentCondition> ensure(ControlPlaneTarget target);

    /** The apiserver URL devices and users reach, once known. */
    String endpoint(ControlPlaneTarget target);

    /** Removes everything {@link #ensure} created for the cluster; idempotent. */
    void delete(String clusterId);
}
