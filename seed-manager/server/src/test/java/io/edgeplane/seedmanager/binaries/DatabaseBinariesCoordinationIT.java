package io.edgeplane.seedmanager.binaries;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Two seed managers on one real PostgreSQL take turns preparing a platform and agree on its bytes. */
class DatabaseBinariesCoordinationIT {
    @TempDir
    Path dir;

    private final Platform platform = new Platform("v1.36.3", "arm64");

    @Test
    void oneTurnPerPlatformAcrossReplicasAndTheFirstRecordedBytesHold() throws Exception {
        Map<String, Object> pods = SeedManagerInstance.podsRuntimeWithoutSeedCluster(dir.resolve("config"));
        try (SeedManagerInstance first = SeedManagerInstance.start(dir.resolve("first"), pods);
             SeedManagerInstance second = SeedManagerInstance.start(dir.resolve("second"), SeedManagerInstance.onDatabaseOf(first, pods))) {
            BinariesCoordination one = first.context().getBean(BinariesCoordination.class);
            BinariesCoordination two = second.context().getBean(BinariesCoordination.class);

            Optional<BinariesCoordination.Turn> turn = one.tryTurn(platform);
            assertThat(turn).isPresent();
            assertThat(two.tryTurn(platform)).as("held by the first").isEmpty();
            try (BinariesCoordination.Turn other = two.tryTurn(new Platform("v1.36.3", "amd64")).orElseThrow()) {
                assertThat(other).as("another platform is another turn").isNotNull();
            }
            turn.get().close();
            two.tryTurn(platform).orElseThrow().close();

            String a = "a".repeat(64);
            String b = "b".repeat(64);
            assertThat(one.agree(platform, Map.of("kubelet", a, "kube-proxy", a))).isEmpty();
            assertThat(two.agree(platform, Map.of("kubelet", b, "kube-proxy", a, "coredns", b)))
                    .singleElement().satisfies(d -> {
                        assertThat(d.component()).isEqualTo("kubelet");
                        assertThat(d.here()).isEqualTo(b);
                        assertThat(d.recorded()).isEqualTo(a);
                        assertThat(d.recordedBy()).isNotBlank();
                    });
            assertThat(one.agree(platform, Map.of("coredns", b))).as("recorded by the second meanwhile").isEmpty();
            assertThat(one.agree(platform, Map.of("kubelet", b))).as("its own record, prepared again").isEmpty();
            assertThat(two.agree(platform, Map.of("kubelet", b))).isEmpty();
        }
    }

    @Test
    void aTurnEndsWithItsHoldersConnection() throws Exception {
        Map<String, Object> pods = SeedManagerInstance.podsRuntimeWithoutSeedCluster(dir.resolve("config"));
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("seed"), pods)) {
            BinariesCoordination coordination = seed.context().getBean(BinariesCoordination.class);
            BinariesCoordination.Turn turn = coordination.tryTurn(platform).orElseThrow();
            try (var db = seed.jdbc(); var s = db.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory' AND classid = "
                        + DatabaseBinariesCoordination.LOCK_CLASS);
            }
            long deadline = System.nanoTime() + 10_000_000_000L;
            Optional<BinariesCoordination.Turn> again = coordination.tryTurn(platform);
            while (again.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(100);
                again = coordination.tryTurn(platform);
            }
            assertThat(again).as("a dead holder's turn is free").isPresent();
            again.get().close();
            turn.close();
        }
    }
}
