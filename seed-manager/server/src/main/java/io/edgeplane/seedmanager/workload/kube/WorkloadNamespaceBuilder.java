package io.edgeplane.seedmanager.workload.kube;

import io.fabric8.kubernetes.api.model.Namespace;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;

import java.util.Map;

/** The tenant namespace that holds every workload of the cluster. */
public final class WorkloadNamespaceBuilder {
    private WorkloadNamespaceBuilder() {
    }

    public static Namespace build() {
        return new NamespaceBuilder()
                .withNewMetadata().withName(WorkloadPods.NAMESPACE)
                .withLabels(Map.of(WorkloadPods.MANAGED_BY_LABEL, WorkloadPods.MANAGED_BY)).endMetadata()
                .build();
    }
}
