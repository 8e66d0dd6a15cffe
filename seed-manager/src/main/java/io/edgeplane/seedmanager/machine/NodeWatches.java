package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterPhase;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.fabric8.kubernetes.api.model.Node;
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
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Watches the nodes of every cluster that has devices, so that a node registering, turning Ready
 * or NotReady, or going away is reconciled at once instead of at the next resync. The watch uses a
 * short-lived client certificate, so it is started afresh well before that expires.
 */
@Context
public class NodeWatches {
    private static final Logger LOG = LoggerFactory.getLogger(NodeWatches.class);
    private static final Duration REFRESH = Duration.ofSeconds(20);
    private static final Duration RENEW_AFTER = Duration.ofMinutes(5);

    private final MachineDeploymentRepository machines;
    private final ClusterRepository clusters;
    private final ClusterConnections connections;
    private final MachineDeploymentReconciler reconciler;
    private final Map<String, Watching> watching = new ConcurrentHashMap<>();
    private final ScheduledExecutorService loop = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "node-watches");
        t.setDaemon(true);
        return t;
    });

    public NodeWatches(MachineDeploymentRepository machines, ClusterRepository clusters, ClusterConnections connections,
                       MachineDeploymentReconciler reconciler) {
        this.machines = machines;
        this.clusters = clusters;
        this.connections = connections;
        this.reconciler = reconciler;
    }

    private record Watching(ClusterConnections.Connection connection, SharedIndexInformer<Node> informer, Instant started) {
        void stop() {
            informer.close();
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
        try {
            Set<String> wanted = new HashSet<>();
            for (String clusterId : machines.clusterIdsWithMachines()) {
                Optional<Cluster> cluster = clusters.findById(clusterId);
                if (cluster.isPresent() && !cluster.get().deleteRequested() && (ClusterPhase.Running.name().equals(cluster.get().phase())
                        || ClusterPhase.Updating.name().equals(cluster.get().phase()))) {
                    wanted.add(clusterId);
                    ensure(cluster.get());
                }
            }
            watching.keySet().stream().filter(id -> !wanted.contains(id)).toList().forEach(this::stop);
        } catch (RuntimeException e) {
            LOG.warn("node watches: {}", e.toString());
        }
    }

    private void ensure(Cluster cluster) {
        Watching current = watching.get(cluster.id());
        if (current != null && current.started().isAfter(Instant.now().minus(RENEW_AFTER)) && current.informer().isWatching()) {
            return;
        }
        ClusterConnections.Connection connection = connections.open(cluster);
        try {
            SharedIndexInformer<Node> informer = connection.client().nodes().inform(new ResourceEventHandler<>() {
                @Override
                public void onAdd(Node node) {
                    wake(cluster.id(), node);
                }

                @Override
                public void onUpdate(Node before, Node after) {
                    wake(cluster.id(), after);
                }

                @Override
                public void onDelete(Node node, boolean unknownFinalState) {
                    wake(cluster.id(), node);
                }
            }, 0);
            Watching previous = watching.put(cluster.id(), new Watching(connection, informer, Instant.now()));
            if (previous != null) {
                previous.stop();
            }
        } catch (RuntimeException e) {
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

    private void wake(String clusterId, Node node) {
        if (machines.wake(clusterId, node.getMetadata().getName(), Instant.now().truncatedTo(ChronoUnit.MICROS)) > 0) {
            reconciler.wake();
        }
    }
}
