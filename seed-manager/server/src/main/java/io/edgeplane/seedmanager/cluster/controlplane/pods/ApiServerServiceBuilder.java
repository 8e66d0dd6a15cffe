package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.datacenter.ExposeStrategy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** Exposes the tenant apiserver (port 6443) and its tunnel server (8132) to devices: a NodePort or LoadBalancer Service. */
public final class ApiServerServiceBuilder {
    public static final String APISERVER_PORT_NAME = "https";
    public static final String TUNNEL_PORT_NAME = "tunnel";

    private ApiServerServiceBuilder() {
    }

    public static Service build(ControlPlaneSpec spec) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(Component.KUBE_APISERVER.id())
                .withNamespace(spec.namespace())
                .withLabels(ControlPlaneLabels.component(spec, Component.KUBE_APISERVER))
                .endMetadata()
                .withNewSpec()
                .withType(serviceType(spec.exposeStrategy()))
                .withSelector(ControlPlaneLabels.selector(spec, Component.KUBE_APISERVER))
                .addNewPort()
                .withName(APISERVER_PORT_NAME)
                .withProtocol("TCP")
                .withPort(ControlPlaneSpec.POD_APISERVER_PORT)
                .withTargetPort(new IntOrString("https"))
                // Fixed, so a Service re-created after an accident keeps the port devices already dial.
                .withNodePort(spec.nodePort())
                .endPort()
                // The seed cluster picks the tunnel's node port; the seed manager reads it back for the scripts.
                .addNewPort()
                .withName(TUNNEL_PORT_NAME)
                .withProtocol("TCP")
                .withPort(PodLayout.TUNNEL_AGENT_PORT)
                .withTargetPort(new IntOrString(TunnelServerContainer.AGENT_PORT_NAME))
                .endPort()
                .endSpec()
                .build();
    }

    static String serviceType(ExposeStrategy strategy) {
        return switch (strategy) {
            case NODE_PORT -> "NodePort";
            case LOAD_BALANCER -> "LoadBalancer";
            case HOST_PORT -> throw new IllegalArgumentException(
                    "expose strategy HostPort is served by the process runtime, not by pods in a seed cluster");
        };
    }
}
