package io.edgeplane.seedmanager.podnetwork;

import jakarta.inject.Singleton;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The admitted connections, per cluster: one per node, and the routing table of the cluster's pod
 * ranges. Sessions come and go under the cluster's entry lock; packets are routed without one.
 */
@Singleton
class PodNetworkSessions {
    /** One cluster's sessions; its maps are changed only inside a compute of the cluster's entry. */
    private static final class ClusterSessions {
        private final Map<String, RelaySession> byNode = new HashMap<>();
        private final PodRoutes<RelaySession> routes = new PodRoutes<>();
    }

    private final Map<String, ClusterSessions> clusters = new ConcurrentHashMap<>();
    private final AtomicInteger count = new AtomicInteger();

    /**
     * Makes {@code session} its node's session and its pod range's route. Returns the sessions it
     * displaces, for the caller to close: the node's previous one, and one of another node that
     * still held this range (its machine is gone and the range was given anew).
     */
    List<RelaySession> register(RelaySession session) {
        List<RelaySession> displaced = new ArrayList<>(1);
        clusters.compute(session.clusterId(), (id, cluster) -> {
            ClusterSessions sessions = cluster == null ? new ClusterSessions() : cluster;
            RelaySession previous = sessions.byNode.put(session.node(), session);
            if (previous != null) {
                sessions.routes.remove(previous.podRange(), previous);
                displaced.add(previous);
            }
            RelaySession holder = sessions.routes.put(session.podRange(), session);
            if (holder != null && holder != previous) {
                sessions.byNode.remove(holder.node(), holder);
                displaced.add(holder);
            }
            count.addAndGet(1 - displaced.size());
            return sessions;
        });
        return displaced;
    }

    /** Forgets {@code session} if it is still registered (a displaced one is not); returns whether it was. */
    boolean unregister(RelaySession session) {
        boolean[] removed = {false};
        clusters.computeIfPresent(session.clusterId(), (id, sessions) -> {
            if (sessions.byNode.remove(session.node(), session)) {
                sessions.routes.remove(session.podRange(), session);
                count.decrementAndGet();
                removed[0] = true;
            }
            return sessions.byNode.isEmpty() ? null : sessions;
        });
        return removed[0];
    }

    /** The session of the device of cluster {@code clusterId} whose pod range holds {@code address}; null when none. */
    RelaySession route(String clusterId, int address) {
        ClusterSessions sessions = clusters.get(clusterId);
        return sessions == null ? null : sessions.routes.lookup(address);
    }

    /** The clusters that have sessions now. */
    Set<String> clusterIds() {
        return Set.copyOf(clusters.keySet());
    }

    /** A copy of cluster {@code clusterId}'s sessions. */
    List<RelaySession> of(String clusterId) {
        List<RelaySession> copy = new ArrayList<>();
        clusters.computeIfPresent(clusterId, (id, sessions) -> {
            copy.addAll(sessions.byNode.values());
            return sessions;
        });
        return copy;
    }

    /** Sessions open now, over all clusters. */
    int count() {
        return count.get();
    }
}
