package io.edgeplane.seedmanager.binaries;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The binaries of every supported version as the admin sees them, preparing ahead of time, and the
 * artifact mirror: a ready platform is served, a missing one is prepared on request and answers 503
 * with the reason and a Retry-After meanwhile. This seed manager fetches nothing (directory source),
 * so a preparation fails at once and says what to do.
 */
class BinariesApiIT {
    @TempDir
    Path dir;

    @Test
    void platformsAreListedPreparedOnRequestAndServedOnceReady() throws Exception {
        Path binaries = dir.resolve("binaries");
        String version = PinnedVersions.kubernetes();
        Platform arm = new Platform(version, "arm64");
        Platform amd = new Platform(version, "amd64");
        Platform seedPlatform = Platform.ofSeed(version);
        Platform other = seedPlatform.equals(arm) ? amd : arm;
        FakeBinaries.complete(new BinariesDirectory(binaries), other, Platform.DEVICE_COMPONENTS);

        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"),
                Map.of("edgeplane.kubernetes.binaries-dir", binaries.toString()))) {
            JsonNode listed = seed.get(ADMIN_TOKEN, "/api/v1/binaries").json().path("items");
            assertThat(listed).hasSize(2);
            assertThat(item(listed, other).path("phase").asText()).isEqualTo("Ready");
            assertThat(item(listed, other).path("source").asText()).isEqualTo("directory");
            assertThat(item(listed, other).path("components").toString()).isEqualTo("[\"kubelet\",\"konnectivity-agent\",\"kube-proxy\",\"coredns\"]");
            assertThat(item(listed, seedPlatform).path("phase").asText()).isEqualTo("Missing");
            assertThat(item(listed, seedPlatform).path("components")).hasSize(Platform.ALL_COMPONENTS.size());

            String owner = projectOwner(seed);
            assertThat(seed.get(owner, "/api/v1/binaries").status()).as("admin only").isEqualTo(403);
            assertThat(seed.post(owner, "/api/v1/binaries/" + version + "/prepare", "").status()).isEqualTo(403);

            HttpResponse<String> kubelet = artifact(seed, other, "kubelet");
            assertThat(kubelet.statusCode()).isEqualTo(200);
            assertThat(kubelet.headers().firstValue("X-Checksum-Sha256")).isPresent();

            HttpResponse<String> missing = artifact(seed, seedPlatform, "kubelet");
            assertThat(missing.statusCode()).as(missing.body()).isEqualTo(503);
            assertThat(missing.headers().firstValue("Content-Type").orElse("")).startsWith("application/problem+json");
            assertThat(missing.headers().firstValue("Retry-After").map(Long::parseLong).orElse(0L)).isPositive();
            assertThat(missing.body()).contains("artifact " + seedPlatform + "/kubelet waits for its binaries").doesNotContain("null");
            assertThat(artifact(seed, seedPlatform, "no-such-component").statusCode()).as("only components are prepared").isEqualTo(404);

            JsonNode failed = awaitPhase(seed, seedPlatform, "Failed");
            assertThat(failed.path("message").asText()).contains("EDGEPLANE_BINARIES_SOURCE=directory fetches nothing")
                    .contains("fetch-binaries.sh");
            assertThat(failed.path("attempts").asInt()).isEqualTo(1);
            assertThat(failed.has("nextAttemptAt")).isTrue();

            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/binaries/v1.99.0/prepare", "").status()).isEqualTo(404);
            Reply prepare = seed.post(ADMIN_TOKEN, "/api/v1/binaries/" + version + "/prepare", "");
            assertThat(prepare.status()).as("one platform is not ready").isEqualTo(202);
            assertThat(prepare.json()).hasSize(2);

            FakeBinaries.complete(new BinariesDirectory(binaries), seedPlatform, Platform.ALL_COMPONENTS);
            Reply ready = seed.post(ADMIN_TOKEN, "/api/v1/binaries/" + version + "/prepare", "");
            assertThat(ready.status()).as("a directory filled by the operator counts at once").isEqualTo(200);
            assertThat(artifact(seed, seedPlatform, "kubelet").statusCode()).isEqualTo(200);
        }
    }

    private static JsonNode item(JsonNode items, Platform platform) {
        for (JsonNode item : items) {
            if (item.path("version").asText().equals(platform.version()) && item.path("platform").asText().equals(platform.name())) {
                return item;
            }
        }
        throw new AssertionError("no " + platform + " in " + items);
    }

    private static JsonNode awaitPhase(SeedManagerInstance seed, Platform platform, String phase) throws InterruptedException {
        JsonNode item = null;
        for (int i = 0; i < 100; i++) {
            item = item(seed.get(ADMIN_TOKEN, "/api/v1/binaries").json().path("items"), platform);
            if (phase.equals(item.path("phase").asText())) {
                return item;
            }
            Thread.sleep(100);
        }
        throw new AssertionError(platform + " never " + phase + ": " + item);
    }

    private static String projectOwner(SeedManagerInstance seed) {
        seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}");
        return seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/tokens", "{\"role\":\"owner\"}").json().path("token").asText();
    }

    private static HttpResponse<String> artifact(SeedManagerInstance seed, Platform platform, String name) throws Exception {
        int port = seed.port();
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/artifacts/"
                + platform.version() + "/" + platform.name() + "/" + name)).build(), HttpResponse.BodyHandlers.ofString());
    }
}
