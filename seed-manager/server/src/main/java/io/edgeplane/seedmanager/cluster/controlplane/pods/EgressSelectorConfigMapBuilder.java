package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.EgressSelector;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

/** The apiserver's egress selector: cluster traffic to the tunnel server on the socket they share. */
public final class EgressSelectorConfigMapBuilder {
    public static final String NAME = "egress-selector";

    private EgressSelectorConfigMapBuilder() {
    }

    public static ConfigMap build(ControlPlaneSpec spec) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(spec.namespace())
                .withLabels(ControlPlaneLabels.component(spec, Component.KUBE_APISERVER))
                .endMetadata()
                .addToData(PodLayout.EGRESS_KEY, EgressSelector.yaml(PodLayout.TUNNEL_SOCKET))
                .build();
    }
}
