package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.reconcile.ClusterInformers;
import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * Watches the device agents' reports ({@code DeviceWorkloads} status) of every running cluster
 * with workloads. An agent heard again after a silence is the first sign that a device is back
 * (before its kubelet reports the node Ready), so every workload of the cluster is reconciled at
 * once; otherwise only the workloads whose report or local actions changed. Heartbeats alone wake
 * nothing. Separate from the pod watches, since the definition appears only with the first device.
 */
@Context
public class DeviceWatches {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceWatches.class);
    private static final Duration REFRESH = Duration.ofSeconds(10);

    private final WorkloadReconcileRepository workloads;
    private final ClusterRepository clusters;
    private final ClusterConnections connections;
    private final WorkloadReconciler reconciler;
    private final ClusterInformers informers;

    public DeviceWatches(WorkloadReconcileRepository workloads, ClusterRepository clusters, ClusterConnections connections,
                         WorkloadReconciler reconciler) {
        this.workloads = workloads;
        this.clusters = clusters;
        this.connections = connections;
        this.reconciler = reconciler;
        this.informers = new ClusterInformers("device-watches", REFRESH, workloads::clusterIdsWithWorkloads, this::connect,
                id -> clusters.findById(id).map(Cluster::ref).orElse("cluster-id=" + id), List.of(this::devices), LOG);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        informers.start();
    }

    @PreDestroy
    void close() {
        informers.close();
    }

    /** Only a running control plane that has the definition (it comes with the cluster's first device) has reports to watch. */
    private Optional<KubernetesClient> connect(String clusterId) {
        return clusters.findById(clusterId).filter(c -> !c.deleteRequested() && c.phase().controlPlaneRuns())
                .map(cluster -> connections.open(cluster).client())
                .filter(client -> client.apiextensions().v1().customResourceDefinitions().withName(DeviceWorkloadsResource.DEFINITION).get() != null);
    }

    private SharedIndexInformer<GenericKubernetesResource> devices(String clusterId, KubernetesClient client) {
        return client.genericKubernetesResources(DeviceWorkloadsResource.CONTEXT).inNamespace(DeviceWorkloadsResource.NAMESPACE)
                .inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(GenericKubernetesResource device) {
                        changed(clusterId, null, device);
                    }

                    @Override
                    public void onUpdate(GenericKubernetesResource before, GenericKubernetesResource after) {
                        changed(clusterId, before, after);
                    }

                    @Override
                    public void onDelete(GenericKubernetesResource device, boolean unknownFinalState) {
                    }
                }, 0);
    }

    private void changed(String clusterId, GenericKubernetesResource before, GenericKubernetesResource after) {
        Optional<DeviceReport> now = DeviceReport.of(after);
        if (now.isEmpty()) {
            return;
        }
        Optional<DeviceReport> then = before == null ? Optional.empty() : DeviceReport.of(before);
        Instant heardBefore = then.map(DeviceReport::heardAt).orElse(null);
        if (heardBefore == null || heardBefore.plus(DeviceReport.FRESH).isBefore(now.get().heardAt())) {
            LOG.debug("cluster-id={} device={} agent heard again", clusterId, now.get().node());
            if (workloads.wakeCluster(clusterId, WorkloadClaims.now()) > 0) {
                reconciler.wake();
            }
            return;
        }
        Set<String> names = new TreeSet<>();
        Map<String, DeviceReport.WorkloadReport> old = new HashMap<>();
        then.get().workloads().forEach(w -> old.put(w.name(), w));
        now.get().workloads().stream().filter(w -> !w.equals(old.remove(w.name()))).forEach(w -> names.add(w.name()));
        names.addAll(old.keySet());
        if (!now.get().actions().equals(then.get().actions())) {
            now.get().actions().forEach(a -> names.add(a.workload()));
        }
        boolean woken = false;
        for (String name : names) {
            woken |= workloads.wake(clusterId, name, WorkloadClaims.now()) > 0;
        }
        if (woken) {
            reconciler.wake();
        }
    }
}
