package io.edgeplane.seedmanager.cluster;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** The phase a cluster shows while its reconcile has not converged. */
class ClusterPhaseWhileNotReadyTest {
    private static final Instant NOW = Instant.parse("2026-01-01T12:00:00Z");
    private static final Duration TIMEOUT = Duration.ofMinutes(10);

    @Test
    void aClusterBeingDeletedIsDeletingUntilItsDeletionFailed() {
        Cluster deleting = cluster(3, 2, true);
        assertThat(phase(deleting, NOW.minusSeconds(5))).isEqualTo(ClusterPhase.Deleting);
        assertThat(phase(deleting, null)).isEqualTo(ClusterPhase.Deleting);
        assertThat(phase(cluster(2, 0, true), NOW)).as("deleted while being created").isEqualTo(ClusterPhase.Deleting);
        assertThat(phase(deleting, NOW.minus(TIMEOUT).minusSeconds(1))).isEqualTo(ClusterPhase.Failed);
    }

    @Test
    void otherwiseCreatingUpdatingOrRunningUntilTheFailureTimeout() {
        assertThat(phase(cluster(1, 0, false), NOW)).isEqualTo(ClusterPhase.Creating);
        assertThat(phase(cluster(2, 1, false), NOW)).isEqualTo(ClusterPhase.Updating);
        assertThat(phase(cluster(2, 2, false), NOW)).isEqualTo(ClusterPhase.Running);
        assertThat(phase(cluster(2, 1, false), NOW.minus(TIMEOUT).minusSeconds(1))).isEqualTo(ClusterPhase.Failed);
    }

    private static ClusterPhase phase(Cluster cluster, Instant notReadySince) {
        ClusterStatus status = new ClusterStatus(List.of(), null, null, "why", notReadySince, null);
        return ClusterReconciler.phaseWhileNotReady(cluster, status, NOW, TIMEOUT);
    }

    private static Cluster cluster(long generation, long observed, boolean delete) {
        return new Cluster("c1", "p1", "c1", "dc", "v1.36.3", null, null, "10.244.0.0/14", generation, observed, ClusterPhase.Running,
                "{}", null, delete, null, null, NOW, NOW, NOW);
    }
}
