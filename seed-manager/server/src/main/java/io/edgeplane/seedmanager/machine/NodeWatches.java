package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterPhase;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.reconcile.ClusterInformers;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.informers.ResourceEventHandler;
import io.fabric8.kubernetes.client.informers.SharedIndexInformer;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventPublisher;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Watches the nodes of every cluster that has devices, so that a node registering, turning Ready
 * or NotReady, or going away is reconciled at once instead of at the next resync, and tells
 * others who care about readiness ({@link NodeReadinessChanged}). The watch is started afresh on
 * the cluster's renewed client.
 */
@Context
public class NodeWatches {
    private static final Logger LOG = LoggerFactory.getLogger(NodeWatches.class);
    private static final Duration REFRESH = Duration.ofSeconds(20);

    private final MachineDeploymentRepository machines;
    private final ClusterRepository clusters;
    private final ClusterConnections connections;
    private final MachineDeploymentReconciler reconciler;
    private final ApplicationEventPublisher<NodeReadinessChanged> readiness;
    private final ClusterInformers informers;

    public NodeWatches(MachineDeploymentRepository machines, ClusterRepository clusters, ClusterConnections connections,
                       MachineDeploymentReconciler reconciler, ApplicationEventPublisher<NodeReadinessChanged> readiness) {
        this.machines = machines;
        this.clusters = clusters;
        this.connections = connections;
        this.reconciler = reconciler;
        this.readiness = readiness;
        this.informers = new ClusterInformers("node-watches", REFRESH, this::wanted, this::connect, this::describe, List.of(this::nodes), LOG);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        informers.start();
    }

    @PreDestroy
    void close() {
        informers.close();
    }

    /** Clusters with devices whose control plane runs. */
    private List<String> wanted() {
        return machines.clusterIdsWithMachines().stream()
                .filter(id -> clusters.findById(id).filter(NodeWatches::running).isPresent()).toList();
    }

    private static boolean running(Cluster cluster) {
        return !cluster.deleteRequested()
                && cluster.phase().controlPlaneRuns();
    }

    private String describe(String clusterId) {
        return clusters.findById(clusterId).map(Cluster::ref).orElse("cluster-id=" + clusterId);
    }

    private Optional<KubernetesClient> connect(String clusterId) {
        return clusters.findById(clusterId).map(cluster -> connections.open(cluster).client());
    }

    private SharedIndexInformer<Node> nodes(String clusterId, KubernetesClient client) {
        return client.nodes().inform(new ResourceEventHandler<>() {
            @Override
            public void onAdd(Node node) {
                wake(clusterId, node);
                readiness.publishEvent(new NodeReadinessChanged(clusterId));
            }

            @Override
            public void onUpdate(Node before, Node after) {
                wake(clusterId, after);
                if (!Objects.equals(ready(before), ready(after))) {
                    readiness.publishEvent(new NodeReadinessChanged(clusterId));
                }
            }

            @Override
            public void onDelete(Node node, boolean unknownFinalState) {
                wake(clusterId, node);
                readiness.publishEvent(new NodeReadinessChanged(clusterId));
            }
        }, 0);
    }

    private static String ready(Node node) {
        return node.getStatus() == null || node.getStatus().getConditions() == null ? null
                : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(c -> c.getStatus()).findFirst().orElse(null);
    }

    private void wake(String clusterId, Node node) {
        if (machines.wake(clusterId, node.getMetadata().getName(), Instant.now().truncatedTo(ChronoUnit.MICROS)) > 0) {
            reconciler.wake();
        }
    }
}
