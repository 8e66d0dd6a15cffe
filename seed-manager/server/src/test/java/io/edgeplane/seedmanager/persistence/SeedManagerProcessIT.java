package io.edgeplane.seedmanager.persistence;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The runnable jar as an operator starts it: generated admin token, kill -9, restart, stale lock files. */
class SeedManagerProcessIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;
    Process process;
    int port;

    @AfterEach
    void stopProcess() throws Exception {
        if (process != null && process.isAlive()) {
            process.destroy();
            process.waitFor(60, TimeUnit.SECONDS);
        }
    }

    @Test
    void survivesKillMinusNineAndStaleLockFiles() throws Exception {
        Path data = dir.resolve("data");
        start(data, "first.log");
        Path tokenFile = data.resolve("admin-token");
        assertThat(Files.getPosixFilePermissions(tokenFile)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        String token = Files.readString(tokenFile).strip();
        String log = Files.readString(dir.resolve("first.log"));
        assertThat(log).contains(tokenFile.toString()).doesNotContain(token);

        assertThat(call("POST", "/api/v1/projects", token, "{\"name\":\"survivor\"}").statusCode()).isEqualTo(201);

        process.destroyForcibly().waitFor(30, TimeUnit.SECONDS); // SIGKILL: no shutdown hooks run
        assertThat(data.resolve("postgres/data/postmaster.pid")).as("the old server is left behind").exists();

        start(data, "second.log");
        assertThat(call("GET", "/api/v1/projects/survivor", token, null).statusCode()).isEqualTo(200);
        assertThat(Files.readString(dir.resolve("second.log"))).contains("left running by a previous seed manager");

        process.destroy(); // SIGTERM: clean shutdown stops the embedded server
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(data.resolve("postgres/data/postmaster.pid")).doesNotExist();

        // A lock file naming a live process that is not PostgreSQL (here: this JVM) must not block a start.
        Files.writeString(data.resolve("postgres/data/postmaster.pid"), ProcessHandle.current().pid() + "\n" + data + "\n");
        start(data, "third.log");
        assertThat(call("GET", "/api/v1/projects/survivor", token, null).statusCode()).isEqualTo(200);
        assertThat(Files.readString(dir.resolve("third.log"))).contains("removing stale lock file");
    }

    private void start(Path data, String logName) throws Exception {
        port = freePort();
        Path seedFile = dir.resolve("seed.yaml");
        if (!Files.exists(seedFile)) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("edgeplane/datacenters/seed.yaml")) {
                Files.copy(in, seedFile);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-jar", System.getProperty("seedManagerJar")))
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve(logName).toFile());
        builder.environment().remove("EDGEPLANE_ADMIN_TOKEN");
        builder.environment().put("EDGEPLANE_DATA_DIR", data.toString());
        builder.environment().put("EDGEPLANE_SEED_FILE", seedFile.toString());
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(port));
        builder.environment().put("EDGEPLANE_HTTPS_PORT", Integer.toString(freePort()));
        process = builder.start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("seed manager exited: " + Files.readString(dir.resolve(logName)));
            }
            try {
                if (call("GET", "/health", null, null).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // still starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("seed manager not healthy after 120 s: " + Files.readString(dir.resolve(logName)));
    }

    private HttpResponse<String> call(String method, String path, String token, String body) throws Exception {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .timeout(Duration.ofSeconds(10))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body))
                .header("Content-Type", "application/json");
        if (token != null) {
            request.header("Authorization", "Bearer " + token);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }
}
