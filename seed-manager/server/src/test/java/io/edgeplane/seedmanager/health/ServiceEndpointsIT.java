package io.edgeplane.seedmanager.health;

import io.edgeplane.seedmanager.persistence.EmbeddedPostgres;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.List;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** Health with database readiness, Prometheus metrics behind the bearer token, and the OpenAPI document. */
class ServiceEndpointsIT {
    @TempDir
    Path dir;

    @Test
    void healthMetricsAndOpenApi() {
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"))) {
            Reply health = seed.get(null, "/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.json().get("status").asText()).isEqualTo("UP");

            assertThat(seed.get(null, "/prometheus").status()).isEqualTo(401);
            seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"metrics\"}");
            String owner = seed.post(ADMIN_TOKEN, "/api/v1/projects/metrics/tokens", "{\"role\":\"owner\"}").json().get("token").asText();
            assertThat(seed.get(owner, "/prometheus").status()).as("metrics are not a tenant's").isEqualTo(403);
            seed.get(ADMIN_TOKEN, "/api/v1/projects");
            Reply metrics = seed.get(ADMIN_TOKEN, "/prometheus");
            assertThat(metrics.status()).isEqualTo(200);
            assertThat(metrics.body()).contains("http_server_requests_seconds_count").contains("hikaricp_connections");

            Reply openapi = seed.get(null, "/openapi/edgeplane-seed-manager-v1.yml");
            assertThat(openapi.status()).isEqualTo(200);
            assertThat(openapi.body()).contains("openapi: 3.")
                    .contains("/api/v1/projects/{project}/tokens")
                    .contains("/api/v1/datacenters/{name}")
                    .contains("/api/v1/audit")
                    .contains("/api/v1/seed");
        }
    }

    @Test
    void healthIsDownWhileTheDatabaseIsUnreachable() {
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"))) {
            seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"outage\"}");
            String owner = seed.post(ADMIN_TOKEN, "/api/v1/projects/outage/tokens", "{\"role\":\"owner\"}").json().get("token").asText();
            seed.context().getBean(EmbeddedPostgres.class).stop();
            Reply health = seed.get(null, "/health");
            assertThat(health.status()).isEqualTo(503);
            assertThat(health.json().get("status").asText()).isEqualTo("DOWN");

            // The API says what is wrong, and that trying again later is the answer, for reads and writes alike.
            // A project token is checked against the database before anything else: its callers get the same answer.
            for (Reply reply : List.of(seed.get(ADMIN_TOKEN, "/api/v1/projects"),
                    seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"during-outage\"}"),
                    seed.get(owner, "/api/v1/projects/outage/clusters"))) {
                assertThat(reply.status()).as(reply.body()).isEqualTo(503);
                assertThat(reply.contentType()).startsWith("application/problem+json");
                assertThat(reply.json().get("detail").asText()).startsWith("the database is unreachable (")
                        .contains("nothing was read or changed");
            }
        }
    }
}
