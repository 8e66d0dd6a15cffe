package io.edgeplane.seedmanager.workload.device;

import io.edgeplane.seedmanager.workload.kube.WorkloadNamespaceBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;

import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The seed manager's side of the {@code DeviceWorkloads} objects of one tenant cluster: the
 * definition and each device's access to its own object, each workload's entry (server-side
 * applied with a field manager per workload, so reconcilers of different workloads never
 * overwrite each other's entries), acknowledgements of local actions, and the devices' reports.
 */
public final class DeviceWorkloadsClient {
    private static final String ACKNOWLEDGER = "edgeplane-device-actions";
    private static final String ACCESS_MANAGER = "edgeplane-devices";
    private static final String ONBOARDING_MANAGER = "edgeplane-seed-onboarding";

    private final KubernetesClient client;

    public DeviceWorkloadsClient(KubernetesClient client) {
        this.client = client;
    }

    /** The definition, established, and each device's right to read its object and write its status. */
    public void ensureAccess(Collection<String> nodes) {
        ensureDefinition();
        client.resource(WorkloadNamespaceBuilder.build()).fieldManager(ACCESS_MANAGER).forceConflicts().serverSideApply();
        for (String node : nodes) {
            client.resource(DeviceAccessBuilder.role(node)).fieldManager(ACCESS_MANAGER).forceConflicts().serverSideApply();
            client.resource(DeviceAccessBuilder.binding(node)).fieldManager(ACCESS_MANAGER).forceConflicts().serverSideApply();
        }
    }

    /**
     * A joined device's access and its object, from the start, so that its agent reports (its tunnel,
     * its local actions) before any workload is pushed to it. The spec is left to the workloads' managers.
     */
    public void ensureDevice(String node) {
        ensureAccess(List.of(node));
        objects().resource(DeviceWorkloadEntryBuilder.empty(node)).fieldManager(ACCESS_MANAGER).forceConflicts().serverSideApply();
    }

    private void ensureDefinition() {
        CustomResourceDefinition definition = DeviceWorkloadsDefinitionBuilder.build();
        CustomResourceDefinition current = client.apiextensions().v1().customResourceDefinitions()
                .withName(definition.getMetadata().getName()).get();
        if (current == null || !established(current) || !DeviceWorkloadsDefinitionBuilder.REVISION.equals(
                current.getMetadata().getAnnotations() == null ? null
                        : current.getMetadata().getAnnotations().get(DeviceWorkloadsDefinitionBuilder.REVISION_ANNOTATION))) {
            client.resource(definition).fieldManager(ACCESS_MANAGER).forceConflicts().serverSideApply();
            client.apiextensions().v1().customResourceDefinitions().withName(definition.getMetadata().getName())
                    .waitUntilCondition(DeviceWorkloadsClient::established, 30, TimeUnit.SECONDS);
        }
    }

    private static boolean established(CustomResourceDefinition crd) {
        return crd != null && crd.getStatus() != null && crd.getStatus().getConditions() != null && crd.getStatus().getConditions().stream()
                .anyMatch(c -> "Established".equals(c.getType()) && "True".equals(c.getStatus()));
    }

    /** Writes {@code workload}'s entry for {@code node} (null removes it). */
    public void applyEntry(String workload, String node, Map<String, Object> entry) {
        List<Map<String, Object>> entries = entry == null ? List.of() : List.of(entry);
        objects().resource(DeviceWorkloadEntryBuilder.object(node, entries))
                .fieldManager(manager(workload)).forceConflicts().serverSideApply();
    }

    /** Removes {@code workload}'s entry from {@code node}'s object, if that object exists. */
    public void removeEntry(String workload, String node) {
        if (objects().withName(node).get() != null) {
            applyEntry(workload, node, null);
        }
    }

    /**
     * Asks {@code node}'s agent for the onboarding check {@code spec} and marks the request the device passed (null: none),
     * which the workloads' reconciler reads before it places a new workload on the device.
     */
    public void applyOnboarding(String node, Map<String, Object> spec, Long passed) {
        objects().resource(DeviceWorkloadEntryBuilder.onboarding(node, spec, passed))
                .fieldManager(ONBOARDING_MANAGER).forceConflicts().serverSideApply();
    }

    public void acknowledge(String node, long seq) {
        objects().resource(DeviceWorkloadEntryBuilder.acknowledgement(node, seq)).fieldManager(ACKNOWLEDGER).forceConflicts().serverSideApply();
    }

    /** Every device's object, or none when the definition is not there yet. */
    public List<GenericKubernetesResource> list() {
        try {
            return objects().list().getItems();
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return List.of();
            }
            throw e;
        }
    }

    public Optional<GenericKubernetesResource> get(String node) {
        try {
            return Optional.ofNullable(objects().withName(node).get());
        } catch (KubernetesClientException e) {
            if (e.getCode() == 404) {
                return Optional.empty();
            }
            throw e;
        }
    }

    /** The device's object and access, when the device is removed. */
    public void removeDevice(String node) {
        if (client.apiextensions().v1().customResourceDefinitions()
                .withName(DeviceWorkloadsResource.DEFINITION).get() != null) {
            objects().withName(node).delete();
        }
        client.secrets().inNamespace(DeviceWorkloadsResource.NAMESPACE).withName(DeviceAccessBuilder.tunnelSecret(node)).delete();
        client.rbac().roleBindings().inNamespace(DeviceWorkloadsResource.NAMESPACE).withName(DeviceAccessBuilder.name(node)).delete();
        client.rbac().roles().inNamespace(DeviceWorkloadsResource.NAMESPACE).withName(DeviceAccessBuilder.name(node)).delete();
    }

    public static String manager(String workload) {
        return "edgeplane-workload-" + workload;
    }

    private NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> objects() {
        return client.genericKubernetesResources(DeviceWorkloadsResource.CONTEXT).inNamespace(DeviceWorkloadsResource.NAMESPACE);
    }
}
