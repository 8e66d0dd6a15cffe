package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.fabric8.kubernetes.api.model.Namespace;

import java.util.Map;

/** The seed namespace that holds one cluster's control plane; deleting it removes everything of that cluster. */
public final class NamespaceBuilder {
    private NamespaceBuilder() {
    }

    public static Namespace build(ControlPlaneSpec spec) {
        Map<String, String> labels = ControlPlaneLabels.cluster(spec);
        // Admission rejects any pod here that is weaker than the hardening the builders apply.
        labels.put("pod-security.kubernetes.io/enforce", "restricted");
        return new io.fabric8.kubernetes.api.model.NamespaceBuilder()
                .withNewMetadata().withName(spec.namespace()).withLabels(labels).endMetadata()
                .build();
    }
}
