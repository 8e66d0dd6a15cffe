package io.edgeplane.seedmanager.cluster.tenant;

import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsClient;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.fabric8.kubernetes.client.informers.cache.Cache;

import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * What one tenant cluster holds, as a reconcile pass reads it: from the {@link TenantCache} where
 * that kind's informer is current (a lookup by name or index, no request), else from the apiserver
 * (a cluster not watched yet, a watch being made again). Lists come sorted by name, as the
 * apiserver lists. Cached objects are shared: read them, never change them.
 */
public final class TenantView {
    private final TenantCache cache;
    private final String clusterId;
    private final KubernetesClient client;

    TenantView(TenantCache cache, String clusterId, KubernetesClient client) {
        this.cache = cache;
        this.clusterId = clusterId;
        this.client = client;
    }

    public Optional<Node> node(String name) {
        return byKey(TenantKinds.NODES, name, () -> client.nodes().withName(name).get());
    }

    /** The nodes of these names that exist, by name. */
    public Map<String, Node> nodes(Collection<String> names) {
        return byKeys(TenantKinds.NODES, names, Function.identity(), () -> client.nodes().list().getItems());
    }

    /** The node's Lease, which its kubelet renews as its heartbeat. */
    public Optional<Lease> nodeLease(String node) {
        return byKey(TenantKinds.NODE_LEASES, Cache.namespaceKeyFunc(TenantKinds.NODE_LEASE_NAMESPACE, node),
                () -> client.leases().inNamespace(TenantKinds.NODE_LEASE_NAMESPACE).withName(node).get());
    }

    /** The serving CSRs the node's kubelet asked for (whatever names they ask for). */
    public List<CertificateSigningRequest> servingCsrs(String node) {
        return byIndex(TenantKinds.SERVING_CSRS, TenantKinds.BY_NODE, node,
                () -> client.certificates().v1().certificateSigningRequests().withField("spec.signerName", TenantKinds.KUBELET_SERVING)
                        .list().getItems().stream().filter(csr -> TenantKinds.servingNode(csr).filter(node::equals).isPresent()));
    }

    /** The device's {@code DeviceWorkloads}: its desired workloads and its agent's report. */
    public Optional<GenericKubernetesResource> deviceWorkloads(String node) {
        return byKey(TenantKinds.DEVICE_WORKLOADS, deviceKey(node), () -> new DeviceWorkloadsClient(client).get(node).orElse(null));
    }

    /** The {@code DeviceWorkloads} of these devices that exist, by device. */
    public Map<String, GenericKubernetesResource> deviceWorkloads(Collection<String> nodes) {
        return byKeys(TenantKinds.DEVICE_WORKLOADS, nodes, TenantView::deviceKey, () -> new DeviceWorkloadsClient(client).list());
    }

    /** The devices' objects that have an entry of {@code workload}. */
    public List<GenericKubernetesResource> deviceWorkloadsWithEntry(String workload) {
        return byIndex(TenantKinds.DEVICE_WORKLOADS, TenantKinds.BY_WORKLOAD, workload, () -> new DeviceWorkloadsClient(client).list()
                .stream().filter(device -> DeviceWorkloadsResource.entryNames(device).contains(workload)));
    }

    /** The devices' objects whose agents report local actions not yet acknowledged. */
    public List<GenericKubernetesResource> deviceWorkloadsWithActions() {
        return byIndex(TenantKinds.DEVICE_WORKLOADS, TenantKinds.WITH_ACTIONS, TenantKinds.PENDING, () -> new DeviceWorkloadsClient(client).list()
                .stream().filter(device -> !TenantKinds.withActions(device).isEmpty()));
    }

    /** The pods of {@code workload}: mirror pods of its static pods and its pre-pull pods. */
    public List<Pod> workloadPods(String workload) {
        return byIndex(TenantKinds.WORKLOAD_PODS, TenantKinds.BY_WORKLOAD, workload,
                () -> client.pods().inNamespace(WorkloadPods.NAMESPACE).withLabel(WorkloadPods.WORKLOAD_LABEL, workload).list().getItems().stream());
    }

    private static String deviceKey(String node) {
        return Cache.namespaceKeyFunc(DeviceWorkloadsResource.NAMESPACE, node);
    }

    private <T extends HasMetadata> Optional<T> byKey(TenantKind<T> kind, String key, Supplier<T> live) {
        Optional<SharedIndexInformer<T>> cached = cache.current(clusterId, kind);
        return cached.isPresent() ? Optional.ofNullable(cached.get().getStore().getByKey(key)) : Optional.ofNullable(live.get());
    }

    private <T extends HasMetadata> Map<String, T> byKeys(TenantKind<T> kind, Collection<String> names, Function<String, String> key,
                                                          Supplier<List<T>> live) {
        Map<String, T> found = new LinkedHashMap<>();
        Optional<SharedIndexInformer<T>> cached = cache.current(clusterId, kind);
        if (cached.isPresent()) {
            for (String name : names) {
                T object = cached.get().getStore().getByKey(key.apply(name));
                if (object != null) {
                    found.put(name, object);
                }
            }
            return found;
        }
        Set<String> wanted = Set.copyOf(names);
        live.get().stream().filter(o -> wanted.contains(o.getMetadata().getName())).forEach(o -> found.put(o.getMetadata().getName(), o));
        return found;
    }

    private <T extends HasMetadata> List<T> byIndex(TenantKind<T> kind, String index, String value, Supplier<Stream<T>> live) {
        Optional<SharedIndexInformer<T>> cached = cache.current(clusterId, kind);
        Stream<T> objects = cached.isPresent() ? cached.get().getIndexer().byIndex(index, value).stream() : live.get();
        return objects.sorted(Comparator.comparing((T o) -> o.getMetadata().getName())).toList();
    }
}
