package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.ServicePort;
import io.fabric8.kubernetes.api.model.ServicePortBuilder;

import java.util.List;

/** The etcd Services: a headless one that names each member, and a ClusterIP one for any-member clients. */
public final class EtcdServiceBuilder {
    private EtcdServiceBuilder() {
    }

    /**
     * Publishes members before they are ready: a new cluster only becomes ready once its members
     * have found each other by these names.
     */
    public static Service headless(ControlPlaneSpec spec) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(EtcdCluster.NAME)
                .withNamespace(spec.namespace())
                .withLabels(ControlPlaneLabels.component(spec, Component.ETCD))
                .endMetadata()
                .withNewSpec()
                .withClusterIP("None")
                .withPublishNotReadyAddresses(true)
                .withSelector(ControlPlaneLabels.selector(spec, Component.ETCD))
                .withPorts(port("client", PodLayout.ETCD_CLIENT_PORT), port("peer", PodLayout.ETCD_PEER_PORT))
                .endSpec()
                .build();
    }

    public static Service client(ControlPlaneSpec spec) {
        return new ServiceBuilder()
                .withNewMetadata()
                .withName(EtcdCluster.CLIENT_SERVICE)
                .withNamespace(spec.namespace())
                .withLabels(ControlPlaneLabels.component(spec, Component.ETCD))
                .endMetadata()
                .withNewSpec()
                .withType("ClusterIP")
                .withSelector(ControlPlaneLabels.selector(spec, Component.ETCD))
                .withPorts(port("client", PodLayout.ETCD_CLIENT_PORT))
                .endSpec()
                .build();
    }

    /** Both, headless first (the StatefulSet refers to it). */
    public static List<Service> build(ControlPlaneSpec spec) {
        return List.of(headless(spec), client(spec));
    }

    private static ServicePort port(String name, int port) {
        return new ServicePortBuilder().withName(name).withPort(port).withTargetPort(new IntOrString(name))
                .withProtocol("TCP").build();
    }
}
