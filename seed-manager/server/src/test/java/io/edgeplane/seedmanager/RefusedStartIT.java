package io.edgeplane.seedmanager;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The runnable jar refusing to start, one test per cause: it exits non-zero with one message that
 * says why (no framework stack trace), and leaves no process (the embedded PostgreSQL included) and
 * no held lock behind.
 */
class RefusedStartIT {
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    @TempDir
    Path dir;
    private final List<Process> started = new ArrayList<>();
    /** A seed manager that legitimately holds the data directory while another start is refused. */
    private Process ownerRunning;

    @AfterEach
    void stopAll() throws InterruptedException {
        for (Process process : started) {
            if (process.isAlive()) {
                process.destroy();
                process.waitFor(60, TimeUnit.SECONDS);
            }
        }
    }

    @Test
    void anInvalidSeedIsNamedByLineAndNothingIsStarted() throws Exception {
        Path seed = dir.resolve("seed.yaml");
        Files.writeString(seed, "apiVersion: edgeplane.io/v1alpha1\nkind: Seed\nmetadata:\n  name: x\nspec:\n  exposeStrategy: Bogus\n");
        Refusal refusal = refuse(Map.of("EDGEPLANE_SEED_FILE", seed.toString()));
        assertThat(refusal.output()).contains("seed manager not started: " + seed + " is not a valid Seed")
                .contains(seed + ":6: spec.exposeStrategy: must be one of NodePort, LoadBalancer, HostPort");
        assertThat(data().resolve("postgres")).as("the database was never started").doesNotExist();
    }

    @Test
    void badSettingsAreNamedByTheirVariable() throws Exception {
        assertThat(refuse(Map.of("EDGEPLANE_KUBERNETES_DEFAULT_VERSION", "v1.99.0")).output())
                .contains("seed manager not started: EDGEPLANE_KUBERNETES_DEFAULT_VERSION=v1.99.0 is not among the supported versions");
        assertThat(refuse(Map.of("EDGEPLANE_SEED_RELOAD_INTERVAL", "fast")).output())
                .contains("seed manager not started: invalid setting EDGEPLANE_SEED_RELOAD_INTERVAL (edgeplane.seed-reload-interval)");
        assertThat(refuse(Map.of("EDGEPLANE_BINARIES_RELEASE_URL", "http://mirror.example/release")).output())
                .contains("seed manager not started: EDGEPLANE_BINARIES_RELEASE_URL must be an https:// URL");
        assertThat(refuse(Map.of("EDGEPLANE_RECONCILE_LEASE", "5s")).output())
                .contains("seed manager not started: EDGEPLANE_RECONCILE_LEASE must be from 10s to 60m, got 5s");
        assertThat(refuse(Map.of("MICRONAUT_SERVER_SSL_ENABLED", "false")).output())
                .contains("seed manager not started: MICRONAUT_SERVER_SSL_ENABLED must stay true");
        assertThat(refuse(Map.of("EDGEPLANE_TLS_CERT_FILE", "/nonexistent/tls.crt")).output())
                .contains("seed manager not started: EDGEPLANE_TLS_CERT_FILE and EDGEPLANE_TLS_KEY_FILE go together");
        assertThat(refuse(Map.of("EDGEPLANE_POD_NETWORK_BIND", "seed.example")).output())
                .contains("seed manager not started: EDGEPLANE_POD_NETWORK_BIND must be an IP address such as 0.0.0.0 or ::, got 'seed.example'");
        assertThat(data().resolve("postgres")).as("the database was never started").doesNotExist();
    }

    @Test
    void aPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            assertThat(refuse(Map.of("MICRONAUT_SERVER_PORT", Integer.toString(taken.getLocalPort()))).output())
                    .contains("seed manager not started: cannot listen on port " + taken.getLocalPort() + " (MICRONAUT_SERVER_PORT)");
        }
    }

    @Test
    void anHttpsPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            assertThat(refuse(Map.of("EDGEPLANE_HTTPS_PORT", Integer.toString(taken.getLocalPort()))).output())
                    .contains("seed manager not started: cannot listen on port " + taken.getLocalPort() + " (EDGEPLANE_HTTPS_PORT)");
        }
        assertThat(data().resolve("postgres")).as("the database was never started").doesNotExist();
    }

    @Test
    void aPodNetworkPortInUseIsNamed() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress(0));
            assertThat(refuse(Map.of("EDGEPLANE_POD_NETWORK_PORT", Integer.toString(taken.getLocalPort()))).output())
                    .contains("seed manager not started: cannot listen on port " + taken.getLocalPort() + " (EDGEPLANE_POD_NETWORK_PORT)");
        }
        assertThat(data().resolve("postgres")).as("the database was never started").doesNotExist();
    }

    @Test
    void aDataDirectoryInUseIsRefusedAndTheOwnerKeepsRunning() throws Exception {
        int port = freePort();
        Process owner = start(Map.of("MICRONAUT_SERVER_PORT", Integer.toString(port)), dir.resolve("owner.log"));
        awaitHealthy(owner, port);

        List<String> ownersProcesses = processesUsing(data());
        assertThat(ownersProcesses).as("the owner's PostgreSQL").isNotEmpty();
        ownerRunning = owner;
        Refusal refusal = refuse(Map.of());
        assertThat(refusal.output()).contains("seed manager not started: another seed manager is using " + data());
        assertThat(owner.isAlive()).isTrue();
        assertThat(get(port, "/health")).as("the owner and its database are untouched").isEqualTo(200);
        assertThat(processesUsing(data())).as("only the owner's PostgreSQL runs").isEqualTo(ownersProcesses);

        owner.destroy();
        assertThat(owner.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(processesUsing(data())).as("a clean stop leaves nothing").isEmpty();
        assertNoHeldLock();
    }

    @Test
    void anUnreachableExternalDatabaseIsRetriedForABoundedTimeThenRefused() throws Exception {
        int closed = freePort();
        Refusal refusal = refuse(Map.of(
                "DATASOURCES_DEFAULT_URL", "jdbc:postgresql://127.0.0.1:" + closed + "/edgeplane",
                "DATASOURCES_DEFAULT_USERNAME", "edgeplane",
                "DATASOURCES_DEFAULT_PASSWORD", "not-used",
                "EDGEPLANE_DATABASE_STARTUP_TIMEOUT", "5s"));
        assertThat(refusal.output()).contains("database jdbc:postgresql://127.0.0.1:" + closed + "/edgeplane unreachable (attempt 1)")
                .contains("seed manager not started: the database jdbc:postgresql://127.0.0.1:" + closed
                        + "/edgeplane did not answer within 5 s")
                .doesNotContain("not-used");
    }

    /** Runs the jar to its end; asserts the refusal's common promises. */
    private Refusal refuse(Map<String, String> env) throws Exception {
        Path log = dir.resolve("refused-" + started.size() + ".log");
        Process process = start(env, log);
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the refused start ends by itself").isTrue();
        String output = Files.readString(log);
        assertThat(process.exitValue()).as(output).isNotZero();
        assertThat(output).as("one message, no stack trace").doesNotContain("\tat ").doesNotContain("Caused by")
                .containsOnlyOnce("seed manager not started");
        if (ownerRunning == null) {
            assertThat(processesUsing(data())).as("nothing of the refused start keeps running").isEmpty();
            assertNoHeldLock();
        }
        return new Refusal(output);
    }

    private Path data() {
        return dir.resolve("data");
    }

    private Process start(Map<String, String> env, Path log) throws IOException {
        Path seed = dir.resolve("example-seed.yaml");
        if (!Files.exists(seed)) {
            try (InputStream in = getClass().getClassLoader().getResourceAsStream("edgeplane/datacenters/seed.yaml")) {
                Files.copy(in, seed);
            }
        }
        ProcessBuilder builder = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", System.getProperty("seedManagerJar"))
                .redirectErrorStream(true).redirectOutput(log.toFile());
        builder.environment().remove("EDGEPLANE_ADMIN_TOKEN");
        builder.environment().put("EDGEPLANE_DATA_DIR", data().toString());
        builder.environment().put("EDGEPLANE_SEED_FILE", seed.toString());
        builder.environment().put("MICRONAUT_SERVER_PORT", Integer.toString(freePort()));
        builder.environment().put("EDGEPLANE_POD_NETWORK_PORT", Integer.toString(freePort()));
        builder.environment().put("EDGEPLANE_HTTPS_PORT", Integer.toString(freePort()));
        builder.environment().put("EDGEPLANE_BINARIES_SOURCE", "directory");
        builder.environment().putAll(env);
        Process process = builder.start();
        started.add(process);
        return process;
    }

    private void awaitHealthy(Process process, int port) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        while (System.nanoTime() < deadline) {
            assertThat(process.isAlive()).as("the first seed manager runs").isTrue();
            try {
                if (get(port, "/health") == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // starting
            }
            Thread.sleep(250);
        }
        throw new AssertionError("the first seed manager did not become healthy");
    }

    private static int get(int port, String path) throws Exception {
        return HTTP.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).timeout(Duration.ofSeconds(5)).build(),
                HttpResponse.BodyHandlers.discarding()).statusCode();
    }

    /** Live processes whose command line names the data directory (the PostgreSQL server runs with -D there). */
    static List<String> processesUsing(Path data) {
        String marker = data.toString();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != ProcessHandle.current().pid())
                .map(p -> commandLine(p.pid())).filter(c -> c.contains(marker + "/") && !c.contains(" -jar ")).toList();
    }

    private static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline"))).replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    private void assertNoHeldLock() throws IOException {
        Path lock = data().resolve("postgres.lock");
        if (Files.exists(lock)) {
            try (FileChannel channel = FileChannel.open(lock, StandardOpenOption.WRITE); FileLock held = channel.tryLock()) {
                assertThat(held).as("nobody holds " + lock).isNotNull();
            }
        }
        assertThat(data().resolve("postgres/data/postmaster.pid")).doesNotExist();
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private record Refusal(String output) {
    }
}
