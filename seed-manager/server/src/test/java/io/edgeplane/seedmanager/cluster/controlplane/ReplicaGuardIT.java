package io.edgeplane.seedmanager.cluster.controlplane;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static io.edgeplane.seedmanager.testing.SeedManagerInstance.onDatabaseOf;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Several seed managers on one real PostgreSQL: replicas of the pods runtime share it; the process
 * runtime, whose control planes are processes of one machine, allows no second seed manager.
 */
class ReplicaGuardIT {
    @TempDir
    Path dir;

    @Test
    void aSecondSeedManagerBesideTheProcessRuntimeIsRefusedAndTheFirstKeepsServing() {
        try (SeedManagerInstance owner = SeedManagerInstance.start(dir.resolve("owner"))) {
            assertThatThrownBy(() -> SeedManagerInstance.start(dir.resolve("second"), onDatabaseOf(owner, Map.of())))
                    .hasStackTraceContaining("another seed manager uses this database: the process runtime");
            assertThatThrownBy(() -> SeedManagerInstance.start(dir.resolve("replica"),
                    onDatabaseOf(owner, SeedManagerInstance.podsRuntimeWithoutSeedCluster(dir.resolve("replica-config")))))
                    .hasStackTraceContaining("a seed manager with the process runtime uses this database");
            assertThat(owner.get(ADMIN_TOKEN, "/api/v1/projects").status()).isEqualTo(200);
        }
    }

    @Test
    void podsRuntimeReplicasShareTheDatabaseAndAProcessRuntimeCannotJoinThem() {
        Map<String, Object> pods = SeedManagerInstance.podsRuntimeWithoutSeedCluster(dir.resolve("config"));
        try (SeedManagerInstance first = SeedManagerInstance.start(dir.resolve("first"), pods);
             SeedManagerInstance second = SeedManagerInstance.start(dir.resolve("second"), onDatabaseOf(first, pods))) {
            assertThat(first.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"shared\"}").status()).isEqualTo(201);
            assertThat(second.get(ADMIN_TOKEN, "/api/v1/projects/shared").status()).isEqualTo(200);

            assertThatThrownBy(() -> SeedManagerInstance.start(dir.resolve("process"), onDatabaseOf(first, Map.of())))
                    .hasStackTraceContaining("another seed manager uses this database: the process runtime");
        }
    }

    @Test
    void theLockEndsWithItsSeedManagerAndIsTakenAgainAfterItsConnectionIsCut() throws Exception {
        Map<String, Object> pods = SeedManagerInstance.podsRuntimeWithoutSeedCluster(dir.resolve("config"));
        try (SeedManagerInstance first = SeedManagerInstance.start(dir.resolve("first"), pods)) {
            SeedManagerInstance second = SeedManagerInstance.start(dir.resolve("second"), onDatabaseOf(first, pods));
            assertThat(locksHeld(first)).isEqualTo(2);
            second.close();
            assertThat(locksHeld(first)).isEqualTo(1);

            try (Connection db = first.jdbc(); Statement s = db.createStatement()) {
                s.execute("SELECT pg_terminate_backend(pid) FROM pg_locks WHERE locktype = 'advisory'");
            }
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (locksHeld(first) == 0 && System.nanoTime() < deadline) {
                Thread.sleep(200);
            }
            assertThat(locksHeld(first)).as("taken again on a new connection").isEqualTo(1);
        }
    }

    private static int locksHeld(SeedManagerInstance seed) throws SQLException {
        try (Connection db = seed.jdbc(); Statement s = db.createStatement();
             ResultSet r = s.executeQuery("SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' AND granted")) {
            r.next();
            return r.getInt(1);
        }
    }

}
