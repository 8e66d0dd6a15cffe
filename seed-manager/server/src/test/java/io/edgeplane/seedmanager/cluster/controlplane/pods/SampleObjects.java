package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.CertificatePaths;
import io.edgeplane.seedmanager.cluster.controlplane.flags.Kubeconfigs;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SampleSpecs;

import java.util.LinkedHashMap;
import java.util.Map;

/** Stand-in Secret contents for the pods builders. */
final class SampleObjects {
    private SampleObjects() {
    }

    static Map<String, String> kubeconfigs() {
        Map<String, String> kubeconfigs = new LinkedHashMap<>();
        kubeconfigs.put(CertificatePaths.CONTROLLER_MANAGER_KUBECONFIG, kubeconfig("system:kube-controller-manager"));
        kubeconfigs.put(CertificatePaths.SCHEDULER_KUBECONFIG, kubeconfig("system:kube-scheduler"));
        return kubeconfigs;
    }

    private static String kubeconfig(String user) {
        return Kubeconfigs.clientCertificate("https://kube-apiserver:6443", SampleSpecs.pem("ca.crt"), user,
                SampleSpecs.pem(user + ".crt"), SampleSpecs.pem(user + ".key"));
    }
}
