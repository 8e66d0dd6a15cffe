package io.edgeplane.seedmanager.cluster.controlplane;

import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;

import java.nio.file.Path;
import java.util.Map;

/**
 * Everything a runtime needs to make one control plane real.
 *
 * @param ports       ports held by the cluster's components (process runtime)
 * @param binariesDir the Kubernetes binaries of {@code spec.version()} for this host
 */
public record ControlPlaneTarget(String clusterId, ControlPlaneSpec spec, ClusterPki pki, Map<String, Integer> ports,
                                 Path binariesDir) {
}
