package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.cluster.controlplane.CertificatePaths;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;

import java.util.List;

/**
 * kube-controller-manager command line. It signs kubelet client certificates with the cluster CA,
 * and the bootstrap signer and token cleaner (off by default) make bootstrap tokens usable and
 * expire them, which is how devices join.
 */
public final class ControllerManagerFlags {
    private ControllerManagerFlags() {
    }

    /**
     * @param bindAddress where the health/metrics port listens: loopback in process mode, all
     *                    addresses in a pod so that the kubelet can probe it
     * @param securePort  that port
     */
    public static List<String> build(ControlPlaneSpec spec, CertificatePaths pki, String bindAddress, int securePort) {
        FlagSet flags = new FlagSet()
                .set("kubeconfig", pki.controllerManagerKubeconfig())
                .set("authentication-kubeconfig", pki.controllerManagerKubeconfig())
                .set("authorization-kubeconfig", pki.controllerManagerKubeconfig())
                .set("bind-address", bindAddress)
                .set("secure-port", securePort)
                .set("client-ca-file", pki.caCert())
                .set("requestheader-client-ca-file", pki.frontProxyCaCert())
                .set("cluster-signing-cert-file", pki.caCert())
                .set("cluster-signing-key-file", pki.caKey())
                .set("root-ca-file", pki.caCert())
                .set("service-account-private-key-file", pki.serviceAccountKey())
                // Each controller acts under its own service account, so RBAC limits what a bug can do.
                .set("use-service-account-credentials", true)
                .set("controllers", "*,bootstrapsigner,tokencleaner")
                .set("leader-elect", spec.highlyAvailable())
                .set("profiling", false);
        Integer grace = spec.nodeHealth().gracePeriodSeconds();
        if (grace != null) {
            // A node silent this long is marked NotReady/unreachable (tainted, its pods' eviction clocks start).
            flags.set("node-monitor-grace-period", grace + "s");
        }
        return flags.render();
    }
}
