package io.edgeplane.seedmanager.workload.kube;

import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.VolumeBuilder;
import io.fabric8.kubernetes.client.utils.KubernetesSerialization;

/**
 * The static pod a workload version runs as on a device, written there by the device agent (from
 * the device's {@code DeviceWorkloads} entry, or from an offline bundle: both carry this same YAML,
 * so the agent never restarts a pod because it came by another way). The shared pod template, named
 * {@code <workload>-<spec hash>} so that two versions can run side by side during an update, its
 * configuration read from a host directory per spec hash where the agent writes {@code app.yaml}.
 * The kubelet mirrors it as {@code <workload>-<spec hash>-<node>}.
 */
public final class WorkloadStaticPodBuilder {
    /** The device directory of a workload's configuration files, one subdirectory per spec hash. */
    public static final String HOST_CONFIG_ROOT = "/var/lib/edgeplane/workloads";
    private static final KubernetesSerialization YAML = new KubernetesSerialization();

    private WorkloadStaticPodBuilder() {
    }

    public static String name(String workload, WorkloadSpec spec) {
        return workload + "-" + WorkloadSpecs.hash(spec);
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
                        .withName(name(workload, spec))
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
