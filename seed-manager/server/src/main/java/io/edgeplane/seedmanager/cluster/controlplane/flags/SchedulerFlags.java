package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.cluster.controlplane.CertificatePaths;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;

import java.util.List;

/** kube-scheduler command line: its own identity from {@code scheduler.conf}, leader election only when replicated. */
public final class SchedulerFlags {
    private SchedulerFlags() {
    }

    /**
     * @param bindAddress where the health/metrics port listens: loopback in process mode, all
     *                    addresses in a pod so that the kubelet can probe it
     * @param securePort  that port
     */
    public static List<String> build(ControlPlaneSpec spec, CertificatePaths pki, String bindAddress, int securePort) {
        return new FlagSet()
                .set("kubeconfig", pki.schedulerKubeconfig())
                .set("authentication-kubeconfig", pki.schedulerKubeconfig())
                .set("authorization-kubeconfig", pki.schedulerKubeconfig())
                .set("bind-address", bindAddress)
                .set("secure-port", securePort)
                .set("leader-elect", spec.highlyAvailable())
                .set("profiling", false)
                .render();
    }
}
