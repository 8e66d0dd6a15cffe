package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
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
import java.util.HashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the workload pods and the nodes of every running cluster that has workloads, so that a
 * pod turning ready or failing, or a device going away or coming back, is reconciled at once
 * instead of at the next resync. Started afresh well before its short-lived certificate expires.
 */
@Context
public class WorkloadWatches {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadWatches.class);
    private static final Duration REFRESH = Duration.ofSeconds(10);
    private static final Duration RENEW_AFTER = Duration.ofMinutes(5);

    private final WorkloadReconcileRepository workloads;
    private final ClusterRepository clusters;
    private final ClusterConnections connections;
    private final WorkloadReconciler reconciler;
    private final Map<String, Watching> watching = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "workload-watches");
        t.setDaemon(true);
        return t;
    });

    public WorkloadWatches(WorkloadReconcileRepository workloads, ClusterRepository clusters, ClusterConnections connections,
                           WorkloadReconciler reconciler) {
        this.workloads = workloads;
        this.clusters = clusters;
        this.connections = connections;
        this.reconciler = reconciler;
    }

    private record Watching(ClusterConnections.Connection connection, SharedIndexInformer<Pod> pods, SharedIndexInformer<Node> nodes,
                            Instant started) {
        boolean healthy() {
            return started.isAfter(Instant.now().minus(RENEW_AFTER)) && pods.isWatching() && nodes.isWatching();
        }

        void stop() {
            pods.close();
            nodes.close();
            connection.close();
        }
    }

    @EventListener
    void onStartup(StartupEvent event) {
        loop.scheduleWithFixedDelay(this::refresh, 2, REFRESH.toSeconds(), TimeUnit.SECONDS);
    }

    @PreDestroy
    void close() {
        loop.shutdownNow();
        watching.values().forEach(Watching::stop);
        watching.clear();
    }

    private void refresh() {
        Set<String> wanted = new HashSet<>();
        for (String clusterId : workloads.clusterIdsWithWorkloads()) {
            wanted.add(clusterId);
            try {
                clusters.findById(clusterId).ifPresent(cluster -> ensure(clusterId, cluster));
            } catch (RuntimeException e) {
                LOG.warn("workload watches cluster={}: {}", clusterId, e.toString());
            }
        }
        watching.keySet().stream().filter(id -> !wanted.contains(id)).toList().forEach(this::stop);
    }

    private void ensure(String clusterId, io.edgeplane.seedmanager.cluster.Cluster cluster) {
        Watching current = watching.get(clusterId);
        if (current != null && current.healthy()) {
            return;
        }
        ClusterConnections.Connection connection = connections.open(cluster);
        SharedIndexInformer<Pod> pods = null;
        try {
            pods = connection.client().pods().inNamespace(WorkloadPods.NAMESPACE)
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
            SharedIndexInformer<Node> nodes = connection.client().nodes().inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Node node) {
                    wakeCluster(clusterId);
                }

                @Override
                public void onUpdate(Node before, Node after) {
                    if (!Objects.equals(ready(before), ready(after))) {
                        wakeCluster(clusterId);
                    }
                }

                @Override
                public void onDelete(Node node, boolean unknownFinalState) {
                    wakeCluster(clusterId);
                }
            }, 0);
            Watching previous = watching.put(clusterId, new Watching(connection, pods, nodes, Instant.now()));
            if (previous != null) {
                previous.stop();
            }
        } catch (RuntimeException e) {
            if (pods != null) {
                pods.close();
            }
            connection.close();
            throw e;
        }
    }

    private void stop(String clusterId) {
        Watching stopped = watching.remove(clusterId);
        if (stopped != null) {
            stopped.stop();
        }
    }

    private static String ready(Node node) {
        return node.getStatus() == null || node.getStatus().getConditions() == null ? null
                : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(c -> c.getStatus()).findFirst().orElse(null);
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
