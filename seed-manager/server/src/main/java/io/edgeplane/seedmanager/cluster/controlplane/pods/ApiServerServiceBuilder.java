package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.datacenter.ExposeStrategy;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;

/** Exposes the tenant apiserver to devices: a NodePort or LoadBalancer Service on port 6443. */
public final class ApiServerServiceBuilder {
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
                .withName("https")
                .withProtocol("TCP")
                .withPort(ControlPlaneSpec.POD_APISERVER_PORT)
                .withTargetPort(new IntOrString("https"))
                // Fixed, so a Service re-created after an accident keeps the port devices already dial.
                .withNodePort(spec.nodePort())
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
