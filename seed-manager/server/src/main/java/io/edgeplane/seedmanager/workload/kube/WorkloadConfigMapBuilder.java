package io.edgeplane.seedmanager.workload.kube;

import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The configuration of one workload version as an immutable ConfigMap named by its spec hash: a new
 * version gets a new ConfigMap, so pods of the old version keep reading theirs until they are gone.
 */
public final class WorkloadConfigMapBuilder {
    private WorkloadConfigMapBuilder() {
    }

    public static ConfigMap build(String workload, WorkloadSpec spec) {
        String hash = WorkloadSpecs.hash(spec);
        return new ConfigMapBuilder()
                .withNewMetadata()
                .withName(WorkloadNames.configMap(workload, hash))
                .withNamespace(WorkloadPods.NAMESPACE)
                .withLabels(labels(workload))
                .withAnnotations(Map.of(WorkloadPods.SPEC_HASH_ANNOTATION, hash))
                .endMetadata()
                .withImmutable(true)
                .withData(Map.of(WorkloadPods.CONFIG_FILE, WorkloadSpecs.configurationFile(spec)))
                .build();
    }

    /** The pod volume (named {@link WorkloadPods#CONFIG_VOLUME}) that mounts this version's ConfigMap. */
    public static Volume volume(String workload, WorkloadSpec spec) {
        return new VolumeBuilder().withName(WorkloadPods.CONFIG_VOLUME)
                .withNewConfigMap().withName(WorkloadNames.configMap(workload, WorkloadSpecs.hash(spec))).endConfigMap()
                .build();
    }

    /** Labels of the workload's objects that belong to no single node. */
    static Map<String, String> labels(String workload) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(WorkloadPods.MANAGED_BY_LABEL, WorkloadPods.MANAGED_BY);
        labels.put(WorkloadPods.WORKLOAD_LABEL, workload);
        return labels;
    }
}
