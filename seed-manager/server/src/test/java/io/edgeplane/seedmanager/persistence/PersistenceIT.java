package io.edgeplane.seedmanager.persistence;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
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
            EmbeddedPostgres server = owner.context().getBean(EmbeddedPostgres.class);
            String url = server.start();
            Path externalData = dir.resolve("external");
            Map<String, Object> externalSettings = new HashMap<>(replica);
            externalSettings.put("datasources.default.url", url);
            externalSettings.put("datasources.default.username", server.username());
            externalSettings.put("datasources.default.password", server.password());
            try (SeedManagerInstance external = SeedManagerInstance.start(externalData, externalSettings)) {
                assertThat(external.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"via-url\"}").status()).isEqualTo(201);
                assertThat(owner.get(ADMIN_TOKEN, "/api/v1/projects/via-url").status()).isEqualTo(200);
                assertThat(Files.exists(externalData.resolve("postgres"))).as("no embedded server").isFalse();
            }
        }
    }
}
