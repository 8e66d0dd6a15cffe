package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.ReleaseMirror;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The README's Quick start on a machine where nothing was prepared: the runnable jar started from the
 * repository root as the README does, with a home of its own (empty data and binaries directories,
 * embedded defaults), and the official release downloads served by the test bed over HTTPS with
 * its own CA, so that the download and checksum path really runs without internet. Then the README's
 * flow, its very shell lines run by bash: project, cluster (which waits for its binaries and says
 * so in its conditions), Running, kubeconfig, and kubectl from the prepared binaries. Prints how long
 * the preparation and the cluster took.
 */
class QuickStartE2E {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private static final String CLUSTER = "/api/v1/projects/acme/clusters/shop";

    @TempDir
    Path dir;
    private Process seedManager;
    private Path home;

    @AfterEach
    void stopEverything() throws InterruptedException {
        if (seedManager != null && seedManager.isAlive()) {
            seedManager.destroy();
            seedManager.waitFor(60, TimeUnit.SECONDS);
        }
        if (home != null) {
            Clusters.killComponentsOf(home.resolve(".edgeplane"));
        }
    }

    @Test
    void theReadmeFlowGivesARunningClusterThatKubectlReaches() throws Exception {
        KubernetesBinaries built = KubernetesBinaries.ensure();
        Path repository = Path.of(System.getProperty("repositoryRoot"));
        ReleaseMirror mirror = ReleaseMirror.start(built);
        mirror.hold();
        home = Files.createDirectories(dir.resolve("home"));
        int port = freePort();
        seedManager = startAsTheReadmeDoes(repository, port, mirror);
        awaitHealthy(port);
        String token = Files.readString(home.resolve(".edgeplane/admin-token")).strip();

        Path work = Files.createDirectories(dir.resolve("work"));
        Path flowLog = dir.resolve("flow.log");
        Files.writeString(work.resolve("flow.sh"), "set -euo pipefail\n"
                + ReadmeFlow.read(repository.resolve("README.md"), "quickstart:flow").replace("localhost:8080", "localhost:" + port));
        ProcessBuilder flowBuilder = new ProcessBuilder("timeout", "900", "bash", "flow.sh").directory(work.toFile())
                .redirectErrorStream(true).redirectOutput(flowLog.toFile());
        flowBuilder.environment().put("HOME", home.toString());
        long started = System.nanoTime();
        Process flow = flowBuilder.start();

        JsonNode waiting = await(port, token, CLUSTER, c -> c.path("conditions").toString().contains("PreparingBinaries")
                && c.path("message").asText().contains("downloading"), flow, flowLog);
        assertThat(waiting.path("phase").asText()).isEqualTo("Creating");
        assertThat(waiting.path("message").asText()).as("what happens, from where, for how long")
                .contains("binaries: Kubernetes " + built.versions().kubernetes() + " " + built.dir().getFileName())
                .contains("source release").contains(" s, attempt 1").doesNotContain("null");
        JsonNode binaries = await(port, token, "/api/v1/binaries", b -> b.path("items").toString().contains("\"Preparing\""), flow, flowLog);
        assertThat(binaries.path("items").toString()).contains("\"source\":\"release\"").contains("\"step\":\"downloading ");

        mirror.release();
        assertThat(flow.waitFor(15, TimeUnit.MINUTES)).as("the README flow ends").isTrue();
        String transcript = Files.readString(flowLog);
        assertThat(flow.exitValue()).as(transcript).isZero();
        assertThat(transcript).as("kubectl get namespaces, through the downloaded kubeconfig").contains("kube-system").contains("default");
        System.out.printf("e2e: README flow from cluster create to kubectl answering %d ms (binaries prepared in %s s, release source)%n",
                (System.nanoTime() - started) / 1_000_000, preparationSeconds(port, token));

        // The download path really ran: every component and its published checksum, and etcd's release.
        Map<String, Integer> requests = mirror.requests();
        String release = "/k8s/" + built.versions().kubernetes() + "/bin/linux/" + built.dir().getFileName().toString().replace("linux-", "");
        for (String component : new String[] {"kube-apiserver", "kube-controller-manager", "kube-scheduler", "kubelet", "kubectl", "kube-proxy"}) {
            assertThat(requests).containsKey(release + "/" + component).containsKey(release + "/" + component + ".sha256");
        }
        assertThat(requests.keySet()).anyMatch(path -> path.endsWith("/SHA256SUMS")).anyMatch(path -> path.endsWith(".tar.gz"));
        Path prepared = home.resolve(".cache/edgeplane/binaries").resolve(built.versions().kubernetes()).resolve(built.dir().getFileName());
        assertThat(prepared.resolve("SHA256SUMS")).exists();
        assertThat(prepared.resolveSibling(prepared.getFileName() + ".partial")).as("no scratch directory left").doesNotExist();

        assertThat(call(port, token, "DELETE", CLUSTER).statusCode()).isEqualTo(202);
        await(port, token, "/api/v1/projects/acme/clusters", c -> c.path("items").isEmpty(), flow, flowLog);
        seedManager.destroy();
        assertThat(seedManager.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(ProcessHandle.allProcesses().map(p -> p.info().commandLine().orElse(""))
                .filter(c -> c.contains(home.toString())).toList()).as("no process of the seed manager's is left").isEmpty();
    }

    private Process startAsTheReadmeDoes(Path repository, int port, ReleaseMirror mirror) throws IOException {
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Duser.home=" + home, "-jar", System.getProperty("seedManagerJar"))
                .directory(repository.toFile()).redirectErrorStream(true).redirectOutput(dir.resolve("seed-manager.log").toFile());
        // Embedded defaults: nothing of the test JVM's own configuration leaks in.
        builder.environment().keySet().removeIf(name -> name.startsWith("EDGEPLANE_") || name.startsWith("DATASOURCES_")
                || name.startsWith("MICRONAUT_"));
        // konnectivity has no release downloads and is built from its Go module: with the user's own Go
        // caches, as on the user's machine (a fresh HOME would also mean a fresh Go module cache).
        String realHome = System.getProperty("user.home");
        builder.environment().putIfAbsent("GOPATH", Path.of(realHome, "go").toString());
        builder.environment().putIfAbsent("GOCACHE", Path.of(realHome, ".cache", "go-build").toString());
        builder.environment().put("HOME", home.toString());
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        // 8443 may be taken by another test's seed manager; nothing in the Quick start speaks HTTPS.
        builder.environment().put("EDGEPLANE_HTTPS_PORT", Integer.toString(freePort()));
        // Where dl.k8s.io and etcd's releases would be, with the CA that vouches for them here.
        builder.environment().put("EDGEPLANE_BINARIES_RELEASE_URL", mirror.kubernetesUrl());
        builder.environment().put("EDGEPLANE_BINARIES_ETCD_RELEASE_URL", mirror.etcdUrl());
        builder.environment().put("EDGEPLANE_BINARIES_CA_FILE", mirror.caFile().toString());
        return builder.start();
    }

    private void awaitHealthy(int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(seedManager.isAlive()).as(() -> "the seed manager runs:\n" + log()).isTrue();
            try {
                if (HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the seed manager did not become healthy:\n" + log());
    }

    private JsonNode await(int port, String token, String path, Predicate<JsonNode> condition, Process flow, Path flowLog)
            throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(5);
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            HttpResponse<String> response = call(port, token, "GET", path);
            if (response.statusCode() == 200) {
                last = JSON.readTree(response.body());
                if (condition.test(last)) {
                    return last;
                }
            }
            if (!flow.isAlive() && flow.exitValue() != 0) {
                throw new AssertionError("the README flow failed:\n" + Files.readString(flowLog));
            }
            Thread.sleep(200);
        }
        throw new AssertionError(path + " never got there: " + last + "\nflow:\n" + Files.readString(flowLog) + "\nseed manager:\n" + log());
    }

    private String preparationSeconds(int port, String token) throws Exception {
        JsonNode items = JSON.readTree(call(port, token, "GET", "/api/v1/binaries").body()).path("items");
        for (JsonNode item : items) {
            if ("Ready".equals(item.path("phase").asText()) && item.has("elapsedSeconds")) {
                return item.path("elapsedSeconds").asText();
            }
        }
        return "?";
    }

    private static HttpResponse<String> call(int port, String token, String method, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://localhost:" + port + path)).timeout(Duration.ofSeconds(10))
                .header("Authorization", "Bearer " + token).method(method, HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
    }

    private String log() {
        try {
            return Files.readString(dir.resolve("seed-manager.log"));
        } catch (IOException e) {
            return e.toString();
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }
}
