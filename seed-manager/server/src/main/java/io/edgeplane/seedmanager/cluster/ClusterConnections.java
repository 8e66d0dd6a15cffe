package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.edgeplane.seedmanager.cluster.controlplane.TunnelEndpoint;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Singleton;

import java.util.Optional;

/** Access to a tenant cluster's apiserver as the seed manager, for work beside the control plane (devices, workloads). */
@Singleton
public class ClusterConnections {
    private final ClusterTargets targets;
    private final ControlPlaneRuntime runtime;
    private final TenantClients clients;

    public ClusterConnections(ClusterTargets targets, ControlPlaneRuntime runtime, TenantClients clients) {
        this.targets = targets;
        this.runtime = runtime;
        this.clients = clients;
    }

    /**
     * The cluster's kept admin client (CA pinned) with the endpoint and CA devices use. Reads only:
     * fails while the cluster reconciler has not created the cluster's PKI and ports.
     */
    public Connection open(Cluster cluster) {
        TenantClients.Tenant tenant = clients.get(cluster, this::mint);
        return new Connection(tenant.client(), tenant.endpoint(), tenant.caPem(), cluster.version());
    }

    /** Whether this runtime's clusters have a tunnel server (and so devices need tunnel tokens). */
    public boolean tunnels() {
        return runtime.tunnels();
    }

    /** Where the cluster's devices connect their tunnel agents; empty for a runtime without a tunnel server. */
    public Optional<TunnelEndpoint> tunnel(Cluster cluster) {
        return runtime.tunnel(targets.resolve(cluster));
    }

    private TenantClients.Tenant mint(Cluster cluster) {
        ControlPlaneTarget target = targets.resolve(cluster);
        return TenantClients.mint(target, runtime.endpoint(target));
    }

    /**
     * A client with the apiserver URL and CA that devices are given. The client is shared and kept
     * by {@link TenantClients}: closing a connection leaves it open for the next pass.
     */
    public record Connection(KubernetesClient client, String endpoint, String caPem, String version) implements AutoCloseable {
        @Override
        public void close() {
            // The client outlives the connection; TenantClients closes it once replaced or its cluster is gone.
        }
    }
}
