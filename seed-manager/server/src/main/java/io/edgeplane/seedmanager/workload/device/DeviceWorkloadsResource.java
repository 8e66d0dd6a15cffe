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
    /** The onboarding request the device passed (PROTOCOL.md, "The onboarding check"); absent while it passed none. */
    public static final String ONBOARDED_ANNOTATION = "edgeplane.io/onboarded-request";
    public static final ResourceDefinitionContext CONTEXT = new ResourceDefinitionContext.Builder()
            .withGroup(GROUP).withVersion(VERSION).withKind(KIND).withPlural(PLURAL).withNamespaced(true).build();

    private DeviceWorkloadsResource() {
    }

    /** {@code spec.onboarding} as the seed last wrote it, empty when there is none. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> onboardingSpec(GenericKubernetesResource device) {
        Object spec = device.getAdditionalProperties().get("spec");
        Object onboarding = spec instanceof Map<?, ?> m ? m.get("onboarding") : null;
        return onboarding instanceof Map<?, ?> o ? (Map<String, Object>) o : Map.of();
    }

    /**
     * Whether the device passed the onboarding check the seed asks it for now, so that new workloads may be placed on it:
     * the request marked passed is the one in the spec.
     */
    public static boolean onboarded(GenericKubernetesResource device) {
        String passed = device.getMetadata().getAnnotations() == null ? null
                : device.getMetadata().getAnnotations().get(ONBOARDED_ANNOTATION);
        Object request = onboardingSpec(device).get("request");
        return passed != null && request instanceof Number n && passed.equals(Long.toString(n.longValue()));
    }

    /** The generation {@code workload}'s entry was written at, if the device's object has one. */
    public static java.util.Optional<Long> entryGeneration(GenericKubernetesResource device, String workload) {
        Object spec = device.getAdditionalProperties().get("spec");
        Object entries = spec instanceof Map<?, ?> m ? m.get("workloads") : null;
        if (entries instanceof List<?> list) {
            for (Object entry : list) {
                if (entry instanceof Map<?, ?> e && workload.equals(e.get("name")) && e.get("generation") instanceof Number n) {
                    return java.util.Optional.of(n.longValue());
                }
            }
        }
        return java.util.Optional.empty();
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
