package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterPhase;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.machine.NodeReadinessChanged;
import io.edgeplane.seedmanager.reconcile.ClusterInformers;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.fabric8.kubernetes.api.model.Pod;
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
import java.util.List;
import java.util.Optional;

/**
 * Watches the workload pods of every running cluster that has workloads, so that a pod turning
 * ready or failing is reconciled at once instead of at the next resync; a device going away or
 * coming back arrives from the node watches ({@link NodeReadinessChanged}). Started afresh on
 * the cluster's renewed client.
 */
@Context
public class WorkloadWatches {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadWatches.class);
    private static final Duration REFRESH = Duration.ofSeconds(10);

    private final WorkloadReconcileRepository workloads;
    private final ClusterRepository clusters;
    private final ClusterConnections connections;
    private final WorkloadReconciler reconciler;
    private final ClusterInformers informers;

    public WorkloadWatches(WorkloadReconcileRepository workloads, ClusterRepository clusters, ClusterConnections connections,
                           WorkloadReconciler reconciler) {
        this.workloads = workloads;
        this.clusters = clusters;
        this.connections = connections;
        this.reconciler = reconciler;
        this.informers = new ClusterInformers("workload-watches", REFRESH, workloads::clusterIdsWithWorkloads, this::connect, this::describe,
                List.of(this::pods), LOG);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        informers.start();
    }

    /** A device came, went, or changed readiness: every workload of its cluster may have something to do. */
    @EventListener
    void onNodeReadinessChanged(NodeReadinessChanged event) {
        wakeCluster(event.clusterId());
    }

    @PreDestroy
    void close() {
        informers.close();
    }

    private String describe(String clusterId) {
        return clusters.findById(clusterId).map(Cluster::ref).orElse("cluster-id=" + clusterId);
    }

    /** Only a control plane that runs has pods to watch (and a client to be had). */
    private Optional<KubernetesClient> connect(String clusterId) {
        return clusters.findById(clusterId).filter(WorkloadWatches::running).map(cluster -> connections.open(cluster).client());
    }

    private static boolean running(Cluster cluster) {
        return !cluster.deleteRequested()
                && cluster.phase().controlPlaneRuns();
    }

    /** The workload pods: a change reconciles the pod's workload. */
    private SharedIndexInformer<Pod> pods(String clusterId, KubernetesClient client) {
        return client.pods().inNamespace(WorkloadPods.NAMESPACE)
                .withLabel(WorkloadPods.MANAGED_BY_LABEL, WorkloadPods.MANAGED_BY).inform(new ResourceEventHandler<>() {
                    @Override
                    public void onAdd(Pod pod) {
                        wake(clusterId, pod);
                    }

                    @Override
                    public void onUpdate(Pod before, Pod after) {
                        wake(clusterId, after);
                    }

                    @Override
                    public void onDelete(Pod pod, boolean unknownFinalState) {
                        wake(clusterId, pod);
                    }
                }, 0);
    }

    private void wake(String clusterId, Pod pod) {
        String workload = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(WorkloadPods.WORKLOAD_LABEL);
        if (workload != null && workloads.wake(clusterId, workload, WorkloadClaims.now()) > 0) {
            reconciler.wake();
        }
    }

    private void wakeCluster(String clusterId) {
        if (workloads.wakeCluster(clusterId, WorkloadClaims.now()) > 0) {
            reconciler.wake();
        }
    }
}
