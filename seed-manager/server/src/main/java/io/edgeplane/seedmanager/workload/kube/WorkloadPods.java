package io.edgeplane.seedmanager.workload.kube;

import io.edgeplane.seedmanager.app.AppSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.ContainerBuilder;
import io.fabric8.kubernetes.api.model.ContainerPort;
import io.fabric8.kubernetes.api.model.ContainerPortBuilder;
import io.fabric8.kubernetes.api.model.EnvVar;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.ResourceRequirements;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.TolerationBuilder;
import io.fabric8.kubernetes.api.model.Volume;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The pod a workload version runs as on one device, shared by every way it gets there (a
 * Deployment pinned to the node, or a static pod imported from an offline bundle), so that both
 * carry the same labels, configuration mount and spec hash.
 */
public final class WorkloadPods {
    public static final String NAMESPACE = "edgeplane-workloads";
    public static final String WORKLOAD_LABEL = "edgeplane.io/workload";
    public static final String NODE_LABEL = "edgeplane.io/node";
    public static final String MANAGED_BY_LABEL = "app.kubernetes.io/managed-by";
    public static final String MANAGED_BY = "edgeplane";
    /** On pod templates and static pods: the {@link WorkloadSpecs#hash} of the version they run. */
    public static final String SPEC_HASH_ANNOTATION = "edgeplane.io/spec-hash";
    public static final String CONFIG_VOLUME = "edgeplane-config";
    public static final String CONFIG_DIR = "/etc/edgeplane/app";
    public static final String CONFIG_FILE = "app.yaml";
    private static final long GRACE_SECONDS = 10;

    private WorkloadPods() {
    }

    /** Labels every object of {@code workload} on {@code node} carries, and its Deployment selects by. */
    public static Map<String, String> labels(String workload, String node) {
        Map<String, String> labels = new LinkedHashMap<>();
        labels.put(MANAGED_BY_LABEL, MANAGED_BY);
        labels.put(WORKLOAD_LABEL, workload);
        labels.put(NODE_LABEL, node);
        return labels;
    }

    /** The pod of {@code spec} for {@code node}, reading its configuration from {@code configVolume} (named {@link #CONFIG_VOLUME}). */
    public static PodTemplateSpec template(String workload, WorkloadSpec spec, String node, Volume configVolume) {
        return new PodTemplateSpecBuilder()
                .withNewMetadata()
                .withLabels(labels(workload, node))
                .withAnnotations(Map.of(SPEC_HASH_ANNOTATION, WorkloadSpecs.hash(spec)))
                .endMetadata()
                .withSpec(podSpec(workload, spec, node, configVolume))
                .build();
    }

    /**
     * Pinned to the device by its hostname label. Edge autonomy: the NoExecute taints a lost WAN
     * link puts on the node are tolerated without a time limit, so an outage never evicts it; the
     * node's NoSchedule taints are tolerated too, since the operator chose this device by name.
     */
    public static List<Toleration> tolerations() {
        return List.of(
                new TolerationBuilder().withKey("node.kubernetes.io/unreachable").withOperator("Exists").withEffect("NoExecute").build(),
                new TolerationBuilder().withKey("node.kubernetes.io/not-ready").withOperator("Exists").withEffect("NoExecute").build(),
                new TolerationBuilder().withOperator("Exists").withEffect("NoSchedule").build());
    }

    private static PodSpec podSpec(String workload, WorkloadSpec spec, String node, Volume configVolume) {
        if (!CONFIG_VOLUME.equals(configVolume.getName())) {
            throw new IllegalArgumentException("the configuration volume must be named " + CONFIG_VOLUME);
        }
        List<Container> containers = new ArrayList<>();
        for (AppSpec.Container container : spec.containers()) {
            containers.add(container(workload, spec, node, container));
        }
        return new PodSpecBuilder()
                .withNodeSelector(Map.of("kubernetes.io/hostname", node))
                .withTolerations(tolerations())
                .withContainers(containers)
                .withVolumes(configVolume)
                .withEnableServiceLinks(false)
                .withAutomountServiceAccountToken(false)
                .withTerminationGracePeriodSeconds(GRACE_SECONDS)
                .withRestartPolicy("Always")
                .build();
    }

    private static Container container(String workload, WorkloadSpec spec, String node, AppSpec.Container container) {
        Map<String, String> env = new TreeMap<>(container.env() == null ? Map.of() : container.env());
        env.put("EDGEPLANE_WORKLOAD", workload);
        env.put("EDGEPLANE_NODE", node);
        env.put("EDGEPLANE_APP", spec.appName());
        env.put("EDGEPLANE_APP_VERSION", spec.appVersion());
        env.put("EDGEPLANE_CONFIG", CONFIG_DIR + "/" + CONFIG_FILE);
        ContainerBuilder builder = new ContainerBuilder()
                .withName(container.name())
                .withImage(container.image())
                .withImagePullPolicy("IfNotPresent")
                .withEnv(env.entrySet().stream().map(e -> new EnvVar(e.getKey(), e.getValue(), null)).toList())
                .withPorts(ports(container))
                .addNewVolumeMount().withName(CONFIG_VOLUME).withMountPath(CONFIG_DIR).withReadOnly(true).endVolumeMount();
        if (container.resources() != null) {
            builder.withResources(resources(container.resources()));
        }
        return builder.build();
    }

    private static List<ContainerPort> ports(AppSpec.Container container) {
        if (container.ports() == null) {
            return List.of();
        }
        return container.ports().stream().map(p -> new ContainerPortBuilder()
                .withName(p.name())
                .withContainerPort(p.containerPort())
                .withHostPort(p.hostPort())
                .withProtocol(p.protocol() == null ? "TCP" : p.protocol())
                .build()).toList();
    }

    private static ResourceRequirements resources(AppSpec.Resources resources) {
        Map<String, Quantity> requests = new TreeMap<>();
        Map<String, Quantity> limits = new TreeMap<>();
        put(requests, "cpu", resources.cpuRequest());
        put(requests, "memory", resources.memoryRequest());
        put(limits, "cpu", resources.cpuLimit());
        put(limits, "memory", resources.memoryLimit());
        ResourceRequirements requirements = new ResourceRequirements();
        requirements.setRequests(requests);
        requirements.setLimits(limits);
        return requirements;
    }

    private static void put(Map<String, Quantity> map, String key, String value) {
        if (value != null) {
            map.put(key, new Quantity(value));
        }
    }

    /** True when any container opens a host port: two versions cannot then run side by side on one device. */
    public static boolean usesHostPorts(WorkloadSpec spec) {
        return spec.containers().stream().anyMatch(c -> c.ports() != null && c.ports().stream().anyMatch(p -> p.hostPort() != null));
    }
}
