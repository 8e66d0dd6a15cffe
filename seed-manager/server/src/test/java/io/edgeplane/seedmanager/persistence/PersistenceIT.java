package io.edgeplane.seedmanager.persistence;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PersistenceIT {
    @TempDir
    Path dir;

    @Test
    void dataSurvivesARestartAndCleanShutdownStopsTheServer() {
        Path data = dir.resolve("data");
        try (SeedManagerInstance first = SeedManagerInstance.start(data)) {
            assertThat(first.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"kept\"}").status()).isEqualTo(201);
        }
        assertThat(data.resolve("postgres/data/postmaster.pid")).as("clean shutdown stops the server").doesNotExist();
        try (SeedManagerInstance second = SeedManagerInstance.start(data)) {
            assertThat(second.get(ADMIN_TOKEN, "/api/v1/projects/kept").status()).isEqualTo(200);
        }
    }

    @Test
    void aMigrationLockLeftByAKilledReplicaDoesNotStopTheNextStart() throws Exception {
        Map<String, Object> pods = SeedManagerInstance.podsRuntimeWithoutSeedCluster(dir.resolve("config"));
        try (SeedManagerInstance first = SeedManagerInstance.start(dir.resolve("first"), pods)) {
            try (Connection db = first.jdbc(); Statement s = db.createStatement()) {
                // A database one change set behind, as a new release finds it: Liquibase locks only when it has work.
                s.execute("DROP TABLE binaries_components");
                s.execute("DELETE FROM databasechangelog WHERE id = '012-binaries-components'");
                // What Liquibase's lock table keeps when the replica that migrates is killed meanwhile.
                s.execute("CREATE TABLE IF NOT EXISTS databasechangeloglock (id INT PRIMARY KEY, locked BOOLEAN NOT NULL,"
                        + " lockgranted TIMESTAMP, lockedby VARCHAR(255))");
                s.execute("INSERT INTO databasechangeloglock VALUES (1, TRUE, now(), 'killed-replica')"
                        + " ON CONFLICT (id) DO UPDATE SET locked = TRUE");
            }
            long started = System.nanoTime();
            try (SeedManagerInstance next = SeedManagerInstance.start(dir.resolve("next"), SeedManagerInstance.onDatabaseOf(first, pods))) {
                assertThat(next.get(ADMIN_TOKEN, "/api/v1/projects").status()).isEqualTo(200);
                try (Connection db = first.jdbc(); Statement s = db.createStatement()) {
                    assertThat(s.executeQuery("SELECT count(*) FROM binaries_components").next()).as("migrated").isTrue();
                }
                assertThat(Duration.ofNanos(System.nanoTime() - started)).as("no wait for the dead holder").isLessThan(Duration.ofMinutes(1));
            }
        }
    }

    @Test
    void aSecondSeedManagerOnTheSameDataDirIsRefused() {
        Path data = dir.resolve("shared");
        try (SeedManagerInstance first = SeedManagerInstance.start(data)) {
            assertThatThrownBy(() -> SeedManagerInstance.start(data))
                    .hasStackTraceContaining("another seed manager is using");
            assertThat(first.get(ADMIN_TOKEN, "/api/v1/projects").status()).as("the first one is unharmed").isEqualTo(200);
        }
    }

    @Test
    void withAJdbcUrlTheConfiguredServerIsUsedAndNothingIsStarted() {
        // Two seed managers on one database: replicas, which only the pods runtime allows.
        Map<String, Object> replica = SeedManagerInstance.podsRuntimeWithoutSeedCluster(dir.resolve("replica-config"));
        try (SeedManagerInstance owner = SeedManagerInstance.start(dir.resolve("owner"), replica)) {
            Path externalData = dir.resolve("external");
            Map<String, Object> externalSettings = SeedManagerInstance.onDatabaseOf(owner, replica);
            try (SeedManagerInstance external = SeedManagerInstance.start(externalData, externalSettings)) {
                assertThat(external.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"via-url\"}").status()).isEqualTo(201);
                assertThat(owner.get(ADMIN_TOKEN, "/api/v1/projects/via-url").status()).isEqualTo(200);
                assertThat(Files.exists(externalData.resolve("postgres"))).as("no embedded server").isFalse();
            }
        }
    }
}
