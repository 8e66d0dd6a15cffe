package io.edgeplane.seedmanager.datacenter;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The seed and its datacenters through the API, including live reloads of the seed file. */
class DatacenterApiIT {
    @TempDir
    Path dir;

    @Test
    void listsAndGetsTheExampleDatacenters() {
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"))) {
            JsonNode list = seed.get(ADMIN_TOKEN, "/api/v1/datacenters").json();
            assertThat(names(list)).containsExactly("factory-bremen", "store-hamburg-01");

            JsonNode dc = seed.get(ADMIN_TOKEN, "/api/v1/datacenters/store-hamburg-01").json();
            assertThat(dc.get("provider").asText()).isEqualTo("edge");
            assertThat(dc.get("country").asText()).isEqualTo("DE");
            assertThat(dc.get("node").get("pauseImage").asText()).isEqualTo("registry.k8s.io/pause:3.10");

            Reply missing = seed.get(ADMIN_TOKEN, "/api/v1/datacenters/nowhere");
            assertThat(missing.status()).isEqualTo(404);
            assertThat(missing.contentType()).startsWith("application/problem+json");
            assertThat(seed.get(null, "/api/v1/datacenters").status()).isEqualTo(401);

            JsonNode page = seed.get(ADMIN_TOKEN, "/api/v1/datacenters?limit=1").json();
            assertThat(names(page)).containsExactly("factory-bremen");
            JsonNode next = seed.get(ADMIN_TOKEN, "/api/v1/datacenters?limit=1&cursor=" + page.get("nextCursor").asText()).json();
            assertThat(names(next)).containsExactly("store-hamburg-01");
            assertThat(next.hasNonNull("nextCursor")).isFalse();

            JsonNode status = seed.get(ADMIN_TOKEN, "/api/v1/seed").json();
            assertThat(status.get("name").asText()).isEqualTo("local");
            assertThat(status.get("generation").asLong()).isEqualTo(1);
            assertThat(status.get("checksum").asText()).hasSize(64);
        }
    }

    @Test
    void projectTokensReadDatacentersToo() {
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"))) {
            seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"reader\"}");
            String viewer = seed.post(ADMIN_TOKEN, "/api/v1/projects/reader/tokens", "{\"role\":\"viewer\"}").json().get("token").asText();
            assertThat(seed.get(viewer, "/api/v1/datacenters").status()).isEqualTo(200);
            assertThat(seed.get(viewer, "/api/v1/seed").status()).isEqualTo(200);
        }
    }

    @Test
    void aValidEditIsAppliedAndAnInvalidOneIsRejectedWithItsErrorsShown() throws Exception {
        Path data = dir.resolve("data");
        Path seedFile = SeedManagerInstance.exampleSeed(data);
        String original = Files.readString(seedFile);
        try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of("edgeplane.seed-reload-interval", "200ms"))) {
            Files.writeString(seedFile, original.replace("factory-bremen:", "factory-kiel:"));
            JsonNode applied = awaitGeneration(seed, 2);
            assertThat(applied.get("lastReload").get("outcome").asText()).isIn("applied", "unchanged");
            assertThat(names(seed.get(ADMIN_TOKEN, "/api/v1/datacenters").json())).containsExactly("factory-kiel", "store-hamburg-01");

            Files.writeString(seedFile, original.replace("country: DE\n      location: Bremen", "country: 49\n      location: Bremen"));
            JsonNode rejected = awaitOutcome(seed, "rejected");
            assertThat(rejected.get("generation").asLong()).isEqualTo(2);
            List<String> problems = new ArrayList<>();
            rejected.get("lastReload").get("problems").forEach(p -> problems.add(p.asText()));
            int line = lineOf(original, "location: Bremen") - 1;
            assertThat(problems).containsExactly(seedFile + ":" + line + ": spec.datacenters.factory-bremen.country: must be a string");
            assertThat(names(seed.get(ADMIN_TOKEN, "/api/v1/datacenters").json()))
                    .as("the previous seed stays active").containsExactly("factory-kiel", "store-hamburg-01");
        }
    }

    @Test
    void anInvalidSeedAtStartupRefusesToStartAndListsEveryProblem() throws Exception {
        Path data = dir.resolve("data");
        Path seedFile = SeedManagerInstance.exampleSeed(data);
        String original = Files.readString(seedFile);
        Files.writeString(seedFile, original.replace("country: DE\n      location: Bremen", "country: 49\n      location: Bremen")
                .replace("        edge: {}\n        enforceAuditLogging", "        enforceAuditLogging"));
        assertThatThrownBy(() -> SeedManagerInstance.start(data))
                .hasStackTraceContaining("spec.datacenters.factory-bremen.country: must be a string")
                .hasStackTraceContaining("spec.datacenters.factory-bremen.spec: no provider");
    }

    private static JsonNode awaitGeneration(SeedManagerInstance seed, long generation) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonNode status = seed.get(ADMIN_TOKEN, "/api/v1/seed").json();
            if (status.get("generation").asLong() >= generation) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("seed generation " + generation + " never became active");
    }

    private static JsonNode awaitOutcome(SeedManagerInstance seed, String outcome) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            JsonNode status = seed.get(ADMIN_TOKEN, "/api/v1/seed").json();
            if (outcome.equals(status.get("lastReload").get("outcome").asText())) {
                return status;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no reload ended " + outcome);
    }

    private static int lineOf(String text, String needle) {
        String before = text.substring(0, text.indexOf(needle));
        return (int) before.chars().filter(c -> c == '\n').count() + 1;
    }

    private static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("items").forEach(p -> names.add(p.get("name").asText()));
        return names;
    }
}
