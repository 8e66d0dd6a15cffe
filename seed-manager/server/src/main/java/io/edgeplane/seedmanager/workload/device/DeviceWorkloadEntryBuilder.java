package io.edgeplane.seedmanager.workload.device;

import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.edgeplane.seedmanager.workload.kube.WorkloadStaticPodBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * One workload's entry in a device's {@code DeviceWorkloads}: the live and staged versions as the
 * device runs them (static pod YAML and configuration file, inlined: static pods cannot read
 * ConfigMaps), whether it runs, and the generation it was written at, which the device quotes back
 * in its local actions so that the seed manager can tell whether the operator changed the workload
 * since.
 */
public final class DeviceWorkloadEntryBuilder {
    private DeviceWorkloadEntryBuilder() {
    }

    /** The entry of {@code workload} for {@code node}; {@code live} or {@code staged} may be null. */
    public static Map<String, Object> entry(String workload, long generation, boolean run, WorkloadSpec live, WorkloadSpec staged,
                                            String node) {
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("name", workload);
        entry.put("generation", generation);
        entry.put("run", run);
        WorkloadSpec shown = live != null ? live : staged;
        entry.put("hostPorts", shown != null && WorkloadPods.usesHostPorts(shown));
        if (live != null && live.nodes().contains(node)) {
            entry.put("live", version(workload, live, node));
        }
        if (staged != null && staged.nodes().contains(node)) {
            entry.put("staged", version(workload, staged, node));
        }
        return entry;
    }

    private static Map<String, Object> version(String workload, WorkloadSpec spec, String node) {
        Map<String, Object> version = new LinkedHashMap<>();
        version.put("specHash", WorkloadSpecs.hash(spec));
        version.put("version", spec.appVersion());
        version.put("pod", WorkloadStaticPodBuilder.yaml(workload, spec, node));
        version.put("config", WorkloadSpecs.configurationFile(spec));
        version.put("images", spec.images());
        return version;
    }

    /** The object as one field manager applies it: only the given entries (none removes that manager's entry). */
    public static GenericKubernetesResource object(String node, List<Map<String, Object>> entries) {
        return object(node, new TreeMap<>(Map.of("workloads", entries)));
    }

    /**
     * The object without a spec: the device exists and no workload is on it yet. Applied without any
     * spec field, so that this manager owns nothing there: a manager that owned an empty spec would
     * have the apiserver turn the spec to null when the last workload's manager removes its entry.
     */
    public static GenericKubernetesResource empty(String node) {
        return object(node, (Map<String, Object>) null);
    }

    /** The object carrying only the onboarding request and, once the device passed it, the request passed. */
    public static GenericKubernetesResource onboarding(String node, Map<String, Object> onboarding, Long passed) {
        GenericKubernetesResource resource = object(node, new TreeMap<>(Map.of("onboarding", onboarding)));
        if (passed != null) {
            resource.getMetadata().setAnnotations(new TreeMap<>(Map.of(DeviceWorkloadsResource.ONBOARDED_ANNOTATION, Long.toString(passed))));
        }
        return resource;
    }

    /** The object carrying only {@code actionsAcknowledged}, as the seed manager acknowledges local actions. */
    public static GenericKubernetesResource acknowledgement(String node, long seq) {
        return object(node, new TreeMap<>(Map.of("actionsAcknowledged", seq)));
    }

    private static GenericKubernetesResource object(String node, Map<String, Object> spec) {
        GenericKubernetesResource resource = new GenericKubernetesResource();
        resource.setApiVersion(DeviceWorkloadsResource.API_VERSION);
        resource.setKind(DeviceWorkloadsResource.KIND);
        resource.setMetadata(new ObjectMetaBuilder().withName(node).withNamespace(DeviceWorkloadsResource.NAMESPACE)
                .withLabels(new TreeMap<>(Map.of(WorkloadPods.MANAGED_BY_LABEL, WorkloadPods.MANAGED_BY, WorkloadPods.NODE_LABEL, node))).build());
        if (spec != null) {
            resource.setAdditionalProperty("spec", spec);
        }
        return resource;
    }
}
