package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.ControllerManagerFlags;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.List;

/** The tenant kube-controller-manager Deployment; the only pod that gets the cluster CA key (it signs kubelet certificates). */
public final class ControllerManagerDeploymentBuilder {
    private static final String PORT_NAME = "https";

    private ControllerManagerDeploymentBuilder() {
    }

    public static Deployment build(ControlPlaneSpec spec) {
        List<String> flags = ControllerManagerFlags.build(spec, PodLayout.PKI, PodLayout.ALL_ADDRESSES,
                PodLayout.CONTROLLER_MANAGER_PORT);
        ComponentPod pod = new ComponentPod(spec, Component.KUBE_CONTROLLER_MANAGER, flags)
                .port(PORT_NAME, PodLayout.CONTROLLER_MANAGER_PORT)
                .probes(ComponentPod.startup("HTTPS", "/healthz", PORT_NAME),
                        ComponentPod.liveness("HTTPS", "/healthz", PORT_NAME),
                        null)
                .requests("100m", "128Mi");
        return ComponentDeployment.build(spec, Component.KUBE_CONTROLLER_MANAGER,
                ComponentDeployment.singleWriter(spec), pod.template());
    }
}
