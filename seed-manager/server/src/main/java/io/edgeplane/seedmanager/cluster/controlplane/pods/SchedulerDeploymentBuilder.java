package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SchedulerFlags;
import io.fabric8.kubernetes.api.model.apps.Deployment;

import java.util.List;

/** The tenant kube-scheduler Deployment. */
public final class SchedulerDeploymentBuilder {
    private static final String PORT_NAME = "https";

    private SchedulerDeploymentBuilder() {
    }

    public static Deployment build(ControlPlaneSpec spec) {
        List<String> flags = SchedulerFlags.build(spec, PodLayout.PKI, PodLayout.ALL_ADDRESSES, PodLayout.SCHEDULER_PORT);
        ComponentPod pod = new ComponentPod(spec, Component.KUBE_SCHEDULER, flags)
                .port(PORT_NAME, PodLayout.SCHEDULER_PORT)
                .probes(ComponentPod.startup("HTTPS", "/healthz", PORT_NAME),
                        ComponentPod.liveness("HTTPS", "/healthz", PORT_NAME),
                        null)
                .requests("50m", "64Mi");
        return ComponentDeployment.build(spec, Component.KUBE_SCHEDULER, ComponentDeployment.singleWriter(spec),
                pod.template());
    }
}
