package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.datacenter.Datacenter;
import io.edgeplane.seedmanager.datacenter.Seed;

import java.util.Map;

/** The control-plane spec of a stored cluster under the active seed. */
final class ControlPlaneSpecs {
    private ControlPlaneSpecs() {
    }

    static ControlPlaneSpec of(Cluster cluster, Seed seed, Datacenter datacenter, int apiserverPort, String serviceCidr,
                               Map<String, String> images) {
        return new ControlPlaneSpec(cluster.project(), cluster.name(), cluster.version(), seed.externalAddress(), apiserverPort,
                serviceCidr, datacenter.enforceAuditLogging(), 1, seed.exposeStrategy(), images, null, cluster.nodeHealth());
    }
}
