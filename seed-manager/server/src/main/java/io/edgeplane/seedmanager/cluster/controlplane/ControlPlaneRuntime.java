package io.edgeplane.seedmanager.cluster.controlplane;

import io.edgeplane.seedmanager.cluster.ClusterStatus.ComponentCondition;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Where tenant control planes run: supervised local processes ({@code process}), or pods on a seed
 * cluster ({@code pods}). Each says what a control plane needs of the seed host, where it puts the
 * components, which names their certificates carry, and then makes, shows and removes it.
 */
public interface ControlPlaneRuntime {

    /**
     * What a control plane needs on the seed host before it can run.
     *
     * @param ports    one port per named component, held for the cluster (none for pods)
     * @param binaries whether the components run from the Kubernetes binaries on this host (else from images)
     */
    record HostNeeds(List<String> ports, boolean binaries) {
    }

    /**
     * The runtime's part of a control plane's spec.
     *
     * @param apiserverPort the apiserver's secure port
     * @param images        image per component (none when the components run from host binaries)
     */
    record Placement(int apiserverPort, Map<String, String> images) {
    }

    /**
     * Names the certificates carry besides the defaults (the external address and
     * kubernetes.default.* for the apiserver, localhost for etcd).
     */
    record CertificateNames(List<String> apiserver, List<String> etcd) {
    }

    HostNeeds hostNeeds();

    /** Where the components of a control plane of Kubernetes {@code version} go, given the host ports held for it. */
    Placement placement(String version, Map<String, Integer> heldPorts);

    CertificateNames certificateNames(ControlPlaneSpec spec);

    /** Makes the control plane match {@code target}; idempotent. Returns each component's condition. */
    List<ComponentCondition> ensure(ControlPlaneTarget target);

    /** The apiserver URL devices and users reach, once known. */
    String endpoint(ControlPlaneTarget target);

    /** Whether this runtime runs a tunnel server per control plane. */
    boolean tunnels();

    /** Where devices' tunnel agents connect, for a runtime that runs a tunnel server; empty otherwise. */
    Optional<TunnelEndpoint> tunnel(ControlPlaneTarget target);

    /**
     * Where the tenant's {@code kubernetes} Service must point when the apiserver cannot publish it
     * itself (it sits behind a NodePort or load balancer and does not know the address devices use);
     * empty when the apiserver publishes it.
     */
    Optional<PublishedApiServer> unpublishedApiServer(ControlPlaneTarget target);

    /**
     * Why some apiserver of the control plane has not loaded the encryption configuration of
     * {@code target}'s keys yet (as {@link #ensure} wrote it); empty once every one has.
     */
    Optional<String> encryptionConfigPending(ControlPlaneTarget target);

    /** Removes everything {@link #ensure} created for the control plane; idempotent. */
    void delete(ControlPlaneId id);
}
