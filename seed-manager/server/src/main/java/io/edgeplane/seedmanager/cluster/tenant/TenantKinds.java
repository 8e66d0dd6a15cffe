package io.edgeplane.seedmanager.cluster.tenant;

import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntry;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything the seed manager reads from a tenant cluster, each kind watched once per cluster:
 * nodes and their Leases (the kubelets' heartbeats), kubelet serving CSRs, the devices'
 * {@code DeviceWorkloads} and the workload pods.
 */
public final class TenantKinds {
    /** The signer of kubelet serving certificates, which the seed manager approves for its devices. */
    public static final String KUBELET_SERVING = "kubernetes.io/kubelet-serving";
    public static final String NODE_LEASE_NAMESPACE = "kube-node-lease";
    static final String BY_NODE = "node";
    static final String BY_WORKLOAD = "workload";
    static final String WITH_ACTIONS = "actions";
    static final String PENDING = "pending";
    private static final String NODE_USER = "system:node:";

    /** Nodes, without their image lists (read nowhere: pre-pulls are tracked per pod) and attached volumes. */
    public static final TenantKind<Node> NODES = new TenantKind<>("nodes", c -> c.nodes(), Map.of(), c -> true, Duration.ZERO,
            TenantKinds::slimNode);

    public static final TenantKind<Lease> NODE_LEASES = new TenantKind<>("node-leases",
            c -> c.leases().inNamespace(NODE_LEASE_NAMESPACE), Map.of(), c -> true, Duration.ZERO, TenantKinds::withoutManagedFields);

    /**
     * Serving CSRs only (the apiserver filters on the signer), by the node that asks. Handed to
     * the listeners again every half minute, so that one whose approval failed is tried again.
     */
    public static final TenantKind<CertificateSigningRequest> SERVING_CSRS = new TenantKind<>("serving-csrs",
            c -> c.certificates().v1().certificateSigningRequests().withField("spec.signerName", KUBELET_SERVING),
            Map.of(BY_NODE, csr -> servingNode(csr).map(List::of).orElse(List.of())), c -> true, Duration.ofSeconds(30),
            TenantKinds::withoutManagedFields);

    /** Each device's desired workloads and its agent's report, by the workloads it has entries for, and whether it reports local actions. */
    public static final TenantKind<GenericKubernetesResource> DEVICE_WORKLOADS = new TenantKind<>("device-workloads",
            c -> c.genericKubernetesResources(DeviceWorkloadsResource.CONTEXT).inNamespace(DeviceWorkloadsResource.NAMESPACE),
            Map.of(BY_WORKLOAD, DeviceWorkloadsResource::entryNames, WITH_ACTIONS, TenantKinds::withActions),
            // The definition comes with the cluster's first device; until then there is nothing to watch.
            c -> c.apiextensions().v1().customResourceDefinitions().withName(DeviceWorkloadsResource.DEFINITION).get() != null,
            Duration.ZERO, TenantKinds::slimDevice);

    /** The pods Edgeplane made or mirrors (static pods of the device agents, pre-pull pods), by workload. */
    public static final TenantKind<Pod> WORKLOAD_PODS = new TenantKind<>("workload-pods",
            c -> c.pods().inNamespace(WorkloadPods.NAMESPACE).withLabel(WorkloadPods.MANAGED_BY_LABEL, WorkloadPods.MANAGED_BY),
            Map.of(BY_WORKLOAD, TenantKinds::workloadOf), c -> true, Duration.ZERO, TenantKinds::withoutManagedFields);

    static final List<TenantKind<?>> ALL = List.of(NODES, NODE_LEASES, SERVING_CSRS, DEVICE_WORKLOADS, WORKLOAD_PODS);

    private TenantKinds() {
    }

    /** The node whose kubelet asks for a serving certificate (its identity, not what it asks for); empty for any other CSR. */
    public static Optional<String> servingNode(CertificateSigningRequest csr) {
        if (csr.getSpec() == null || !KUBELET_SERVING.equals(csr.getSpec().getSignerName()) || csr.getSpec().getUsername() == null
                || !csr.getSpec().getUsername().startsWith(NODE_USER)) {
            return Optional.empty();
        }
        return Optional.of(csr.getSpec().getUsername().substring(NODE_USER.length()));
    }

    static void withoutManagedFields(HasMetadata object) {
        object.getMetadata().setManagedFields(null);
    }

    static void slimNode(Node node) {
        withoutManagedFields(node);
        if (node.getStatus() != null) {
            node.getStatus().setImages(null);
            node.getStatus().setVolumesAttached(null);
            node.getStatus().setVolumesInUse(null);
        }
    }

    /**
     * Of the managed fields, only when the agent last wrote the status ({@link DeviceReport#of} tells
     * by it when the device was last heard from), without the fields themselves.
     */
    static void slimDevice(GenericKubernetesResource device) {
        List<ManagedFieldsEntry> fields = device.getMetadata().getManagedFields();
        if (fields != null) {
            device.getMetadata().setManagedFields(fields.stream()
                    .filter(f -> DeviceWorkloadsResource.AGENT_MANAGER.equals(f.getManager()) && "status".equals(f.getSubresource()))
                    .map(f -> new ManagedFieldsEntryBuilder().withManager(f.getManager()).withSubresource(f.getSubresource())
                            .withOperation(f.getOperation()).withTime(f.getTime()).build())
                    .toList());
        }
    }

    static List<String> withActions(GenericKubernetesResource device) {
        return DeviceReport.of(device).filter(r -> !r.actions().isEmpty()).map(r -> List.of(PENDING)).orElse(List.of());
    }

    private static List<String> workloadOf(Pod pod) {
        String workload = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(WorkloadPods.WORKLOAD_LABEL);
        return workload == null ? List.of() : List.of(workload);
    }
}
