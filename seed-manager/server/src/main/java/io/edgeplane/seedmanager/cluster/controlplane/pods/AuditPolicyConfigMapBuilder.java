package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.AuditPolicy;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;

/** The apiserver's audit policy, for clusters with audit logging on. */
public final class AuditPolicyConfigMapBuilder {
    public static final String NAME = "audit-policy";

    private AuditPolicyConfigMapBuilder() {
    }

    public static ConfigMap build(ControlPlaneSpec spec) {
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(NAME)
                .withNamespace(spec.namespace())
                .withLabels(ControlPlaneLabels.component(spec, Component.KUBE_APISERVER))
                .endMetadata()
                .addToData(PodLayout.AUDIT_POLICY_KEY, AuditPolicy.yaml())
                .build();
    }
}
