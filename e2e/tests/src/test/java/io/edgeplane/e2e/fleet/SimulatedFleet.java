package io.edgeplane.e2e.fleet;

import java.util.ArrayList;
import java.util.List;

/** The simulated clusters of one run, closed together. */
final class SimulatedFleet implements AutoCloseable {
    private final List<SimulatedCluster> clusters = new ArrayList<>();

    void add(SimulatedCluster cluster) {
        clusters.add(cluster);
    }

    List<SimulatedCluster> clusters() {
        return List.copyOf(clusters);
    }

    void heartbeat(java.time.Duration heartbeat) {
        clusters.forEach(c -> c.agents().heartbeat(heartbeat));
    }

    long writes() {
        return clusters.stream().mapToLong(c -> c.agents().writes()).sum();
    }

    long failures() {
        return clusters.stream().mapToLong(c -> c.agents().failures()).sum();
    }

    @Override
    public void close() {
        clusters.forEach(SimulatedCluster::close);
    }
}
