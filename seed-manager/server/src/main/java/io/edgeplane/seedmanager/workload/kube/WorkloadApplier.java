package io.edgeplane.seedmanager.workload.kube;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;

/**
 * Writes a workload's objects into the tenant cluster: one server-side apply for every kind, with
 * Edgeplane as the field manager. Objects come fresh from the builders (an object read back from
 * the API carries managedFields, which server-side apply refuses).
 */
public final class WorkloadApplier {
    public static final String FIELD_MANAGER = "edgeplane-workloads";

    private final KubernetesClient client;

    public WorkloadApplier(KubernetesClient client) {
        this.client = client;
    }

    public <T extends HasMetadata> T apply(T object) {
        return client.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
    }

    /** Creates {@code object} unless one of that name exists (pods cannot be changed in place). */
    public <T extends HasMetadata> T createIfAbsent(T object) {
        T existing = client.resource(object).get();
        return existing != null ? existing : client.resource(object).create();
    }

    public void delete(HasMetadata object) {
        client.resource(object).delete();
    }
}
