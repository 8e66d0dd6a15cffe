package io.edgeplane.seedmanager.workload.device;

import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code DeviceWorkloads} custom resource of a tenant cluster: one per device, named after it,
 * in {@link WorkloadPods#NAMESPACE}. Its spec is the device's desired workloads (written by the seed
 * manager, one entry per workload); its status is what the device agent reports (written by the
 * device alone).
 */
public final class DeviceWorkloadsResource {
    public static final String GROUP = "edgeplane.io";
    public static final String VERSION = "v1alpha1";
    public static final String KIND = "DeviceWorkloads";
    public static final String PLURAL = "deviceworkloads";
    public static final String API_VERSION = GROUP + "/" + VERSION;
    /** The name of the CustomResourceDefinition. */
    public static final String DEFINITION = PLURAL + "." + GROUP;
    public static final String NAMESPACE = WorkloadPods.NAMESPACE;
    /** The field manager of the device agent's status writes. */
    public static final String AGENT_MANAGER = "edgeplane-device";
    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion(VERSION).withKind(KIND).withPlural(PLURAL).withNamespaced(true).build();

    private DeviceWorkloadsResource() {
    }

    /** The workloads that have an entry in the device's object ({@code spec.workloads[].name}). */
    public static List<String> entryNames(GenericKubernetesResource device) {
        Object spec = device.getAdditionalProperties().get("spec");
        Object entries = spec instanceof Map<?, ?> m ? m.get("workloads") : null;
        List<String> names = new ArrayList<>();
        if (entries instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> e && e.get("name") instanceof String name) {
                    names.add(name);
                }
            }
        }
        return names;
    }
}
