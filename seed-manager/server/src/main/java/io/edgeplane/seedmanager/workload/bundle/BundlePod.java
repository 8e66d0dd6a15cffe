package io.edgeplane.seedmanager.workload.bundle;

import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The static pod an offline bundle starts on its device: the workload's shared pod template as a
 * Pod named after the workload in {@link WorkloadPods#NAMESPACE}, its configuration read from a
 * host directory per spec hash (where the import script writes {@code app.yaml}). The kubelet
 * mirrors it as {@code <workload>-<node>} with the template's labels and spec-hash annotation.
 */
public final class BundlePod {
    /** The device directory of a workload's configuration files, one subdirectory per spec hash. */
    public static final String HOST_CONFIG_ROOT = "/var/lib/edgeplane/workloads";
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private BundlePod() {
    }

    public static String hostConfigDir(String workload, WorkloadSpec spec) {
        return HOST_CONFIG_ROOT + "/" + workload + "/" + WorkloadSpecs.hash(spec);
    }

    public static Pod pod(String workload, WorkloadSpec spec, String node) {
        Volume config = new VolumeBuilder()
                .withName(WorkloadPods.CONFIG_VOLUME)
                .withNewHostPath().withPath(hostConfigDir(workload, spec)).withType("DirectoryOrCreate").endHostPath()
                .build();
        PodTemplateSpec template = WorkloadPods.template(workload, spec, node, config);
        return new PodBuilder()
                .withMetadata(new ObjectMetaBuilder(template.getMetadata())
                        .withName(workload)
                        .withNamespace(WorkloadPods.NAMESPACE)
                        .build())
                .withSpec(template.getSpec())
                .build();
    }

    /** {@link #pod} as the YAML file the kubelet reads from its static pod directory. */
    public static String yaml(String workload, WorkloadSpec spec, String node) {
        return YAML.asYaml(pod(workload, spec, node));
    }
}
