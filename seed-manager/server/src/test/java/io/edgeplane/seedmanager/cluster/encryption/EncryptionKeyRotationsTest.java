package io.edgeplane.seedmanager.cluster.encryption;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterPhase;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** When a rotation may start: each refusal names why. */
class EncryptionKeyRotationsTest {
    private static final Instant T = Instant.parse("2026-12-07T10:00:00Z");

    private static Cluster cluster(String pki, boolean deleting) {
        return new Cluster("c1", "acme", "store", "dc", "v1.36.3", null, null, "10.244.0.0/14", 1, 1,
                ClusterPhase.Running, "{}", pki, deleting, null, null, T, T, T);
    }

    @Test
    void aRunningClusterWithoutARotationMayStartOne() {
        assertThat(EncryptionKeyRotations.refusal(cluster("{}", false), null)).isEmpty();
    }

    @Test
    void aFinishedRotationDoesNotBlockTheNext() {
        EncryptionKeyRotation done = EncryptionKeyRotation.requested(T).done(T);
        assertThat(EncryptionKeyRotations.refusal(cluster("{}", false), done)).isEmpty();
    }

    @Test
    void oneUnderWayIsAConflictNamingItsPhase() {
        for (EncryptionKeyRotationPhase phase : EncryptionKeyRotationPhase.values()) {
            if (!phase.underWay()) {
                continue;
            }
            EncryptionKeyRotation current = EncryptionKeyRotation.requested(T).in(phase);
            assertThat(EncryptionKeyRotations.refusal(cluster("{}", false), current))
                    .hasValueSatisfying(reason -> assertThat(reason).contains("already rotates").contains(phase.name()));
        }
    }

    @Test
    void aClusterBeingDeletedIsAConflict() {
        assertThat(EncryptionKeyRotations.refusal(cluster("{}", true), null)).hasValueSatisfying(r -> assertThat(r).contains("being deleted"));
    }

    @Test
    void aClusterWithoutKeysYetIsAConflict() {
        assertThat(EncryptionKeyRotations.refusal(cluster(null, false), null)).hasValueSatisfying(r -> assertThat(r).contains("no encryption key"));
    }
}
