package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.fabric8.kubernetes.client.KubernetesClient;
import jakarta.inject.Singleton;

/** Access to a tenant cluster's apiserver as the seed manager, for work beside the control plane (devices, workloads). */
@Singleton
public class ClusterConnections {
    private final ClusterTargets targets;
    private final ControlPlaneRuntime runtime;

    public ClusterConnections(ClusterTargets targets, ControlPlaneRuntime runtime) {
        this.targets = targets;
        this.runtime = runtime;
    }

    /**
     * An admin client of the cluster (short-lived certificate, CA pinned) with the endpoint and CA
     * devices use. Close it after use.
     */
    public Connection open(Cluster cluster) {
        if (cluster.pki() == null) {
            throw new IllegalStateException("cluster " + cluster.project() + "/" + cluster.name() + " has no PKI yet");
        }
        ControlPlaneTarget target = targets.resolve(cluster);
        String endpoint = runtime.endpoint(target);
        return new Connection(TenantClients.admin(target, endpoint), endpoint, target.pki().certificatePem("ca"), cluster.version());
    }

    /** A client with the apiserver URL and CA that devices are given. */
    public record Connection(KubernetesClient client, String endpoint, String caPem, String version) implements AutoCloseable {
        @Override
        public void close() {
            client.close();
        }
    }
}
