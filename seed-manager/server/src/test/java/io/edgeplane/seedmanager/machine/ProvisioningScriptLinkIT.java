package io.edgeplane.seedmanager.machine;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.api.Secrets;
import io.edgeplane.seedmanager.contract.ControlPlaneProcesses;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * One-time links to a provisioning script against a real seed manager whose cluster runs (process runtime, the test
 * bed's binaries, which hold amd64 only): the returned command run by real bash and curl against the HTTPS listener
 * with nothing but the CA inside it, once; the rules (lifetime, roles, tenancy, expiry, a removed device); a 503 while
 * a device's architecture has no binaries leaving the link unused; and two racing downloads, of which one wins.
 * <p>
 * The command ends in {@code bash <downloaded script>}. Provisioning this machine is not the point, so the runs here
 * put a {@code bash} first on the PATH that keeps a copy of the file it was asked to run: the command itself is the
 * product's, unchanged.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProvisioningScriptLinkIT {
    private static final String CLUSTER = "/api/v1/projects/acme/clusters/line";
    private static final String MACHINES = CLUSTER + "/machinedeployments";
    private static final Duration RUNNING_WITHIN = Duration.ofSeconds(180);
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    @TempDir
    static Path dir;
    private SeedManagerInstance seed;
    private String owner;
    private String viewer;
    private String globex;

    @BeforeAll
    void start() throws Exception {
        Path binaries = KubernetesBinaries.ensure().dir().getParent().getParent();
        seed = SeedManagerInstance.start(dir.resolve("data"), Map.of("edgeplane.kubernetes.binaries-dir", binaries.toString()));
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"globex\"}").status()).isEqualTo(201);
        owner = token("acme", "owner");
        viewer = token("acme", "viewer");
        globex = token("globex", "owner");
        assertThat(seed.post(owner, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"store-hamburg-01\"}").status())
                .isEqualTo(202);
        awaitRunning();
        for (String device : List.of("edge-1", "edge-2", "edge-3", "edge-4", "edge-gone")) {
            register(device, "amd64");
        }
        register("edge-arm", "arm64");
    }

    @AfterAll
    void stop() {
        if (seed != null) {
            seed.close();
        }
        ControlPlaneProcesses.killUnder(dir.resolve("data"));
    }

    @Test
    void theCommandGetsTheScriptOnceOverHttpsWithOnlyThePinnedCa() throws Exception {
        Reply created = seed.post(owner, MACHINES + "/edge-1/provisioning-script-link", null);
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        JsonNode link = created.json();
        String url = link.path("url").asText();
        String command = link.path("command").asText();
        assertThat(url).matches("https://127\\.0\\.0\\.1:" + seed.httpsPort() + "/provisioning-scripts/[A-Za-z0-9_-]{43}");
        assertThat(Instant.parse(link.path("expiresAt").asText())).isCloseTo(Instant.now().plus(Duration.ofMinutes(15)),
                within(1, ChronoUnit.MINUTES));
        assertThat(command).doesNotContain(owner, ADMIN_TOKEN).contains(url);
        shellcheck(command);

        String secret = url.substring(url.lastIndexOf('/') + 1);
        assertThat(storedHashes()).as("only the digest is stored").anySatisfy(hash -> assertThat(hash).isEqualTo(Secrets.sha256(secret)));
        assertThat(seed.get(ADMIN_TOKEN, "/api/v1/audit?limit=50").body())
                .contains("POST " + MACHINES + "/edge-1/provisioning-script-link").doesNotContain(secret);

        Run first = run(command);
        assertThat(first.exit()).as(first.toString()).isZero();
        String fetched = Files.readString(first.ran());
        assertThat(fetched).startsWith("#!/usr/bin/env bash").contains("edge-1");
        assertThat(fetched).as("the same script as the authenticated download")
                .isEqualTo(seed.get(owner, MACHINES + "/edge-1/provisioning-script").body());
        assertThat(first.leftInTmp()).as("the CA and the script are removed").isEmpty();

        Run second = run(command);
        assertThat(second.exit()).as("curl --fail on 404: " + second).isEqualTo(22);
        assertThat(second.stderr()).contains("404");
        assertThat(Files.exists(second.ran())).as("nothing runs after a failed download").isFalse();
        assertThat(second.leftInTmp()).isEmpty();

        JsonNode audit = seed.get(ADMIN_TOKEN, "/api/v1/audit?limit=50").json().path("items");
        List<String> uses = new ArrayList<>();
        audit.forEach(e -> {
            if (e.path("actor").asText().startsWith("script-link:")) {
                uses.add(e.path("action").asText() + " " + e.path("target").asText() + " " + e.path("result").asText());
            }
        });
        assertThat(uses).contains("GET /provisioning-scripts/{secret} " + MACHINES + "/edge-1/provisioning-script 200");
    }

    @Test
    void unknownUsedAndExpiredLinksAnswerTheSame404() throws Exception {
        String used = secretOf(seed.post(owner, MACHINES + "/edge-2/provisioning-script-link", null));
        HttpResponse<Void> head = HTTP.send(HttpRequest.newBuilder(request(used).uri()).method("HEAD", HttpRequest.BodyPublishers.noBody())
                .build(), HttpResponse.BodyHandlers.discarding());
        assertThat(head.statusCode()).as("a HEAD gets no script").isEqualTo(405);
        assertThat(download(used).statusCode()).as("and leaves the link unused").isEqualTo(200);
        String expired = secretOf(seed.post(owner, MACHINES + "/edge-2/provisioning-script-link", null));
        try (Connection db = seed.jdbc();
             PreparedStatement expire = db.prepareStatement("UPDATE provisioning_script_links SET expires_at = now() - interval '1 second' "
                     + "WHERE secret_hash = ?")) {
            expire.setBytes(1, Secrets.sha256(expired));
            assertThat(expire.executeUpdate()).isEqualTo(1);
        }
        String unknown = Secrets.urlSafeRandom(32);

        HttpResponse<String> usedAnswer = download(used);
        assertThat(usedAnswer.statusCode()).isEqualTo(404);
        assertThat(usedAnswer.headers().firstValue("Content-Type")).hasValueSatisfying(t -> assertThat(t).startsWith("application/problem+json"));
        for (String other : List.of(expired, unknown, "not-even-a-secret")) {
            HttpResponse<String> answer = download(other);
            assertThat(answer.statusCode()).isEqualTo(404);
            assertThat(answer.body()).isEqualTo(usedAnswer.body());
        }
    }

    @Test
    void theLifetimeIsFifteenMinutesByDefaultAndAtMostADay() {
        JsonNode link = seed.post(owner, MACHINES + "/edge-3/provisioning-script-link?lifetime=90s", null).json();
        assertThat(Instant.parse(link.path("expiresAt").asText())).isCloseTo(Instant.now().plusSeconds(90),
                within(30, ChronoUnit.SECONDS));
        assertThat(seed.post(owner, MACHINES + "/edge-3/provisioning-script-link?lifetime=24h", null).status()).isEqualTo(201);
        for (String bad : List.of("25h", "0s", "PT0S", "soon", "P1DT")) {
            Reply refused = seed.post(owner, MACHINES + "/edge-3/provisioning-script-link?lifetime=" + bad, null);
            assertThat(refused.status()).as(bad + ": " + refused).isEqualTo(422);
            assertThat(refused.json().path("errors").get(0).path("field").asText()).as(bad).isEqualTo("lifetime");
        }
    }

    @Test
    void ownersAndTheAdminOnlyInTheirOwnProject() {
        assertThat(seed.post(ADMIN_TOKEN, MACHINES + "/edge-3/provisioning-script-link", null).status()).isEqualTo(201);
        assertThat(seed.post(viewer, MACHINES + "/edge-3/provisioning-script-link", null).status()).isEqualTo(403);
        assertThat(seed.post(globex, MACHINES + "/edge-3/provisioning-script-link", null).status()).isEqualTo(404);
        assertThat(seed.post(owner, MACHINES + "/no-such-device/provisioning-script-link", null).status()).isEqualTo(404);
        assertThat(seed.post(null, MACHINES + "/edge-3/provisioning-script-link", null).status()).isEqualTo(401);
    }

    @Test
    void aDeviceWhoseBinariesAreNotReadyGets503AndKeepsItsLink() throws Exception {
        String secret = secretOf(seed.post(owner, MACHINES + "/edge-arm/provisioning-script-link", null));
        for (int attempt = 0; attempt < 2; attempt++) {
            HttpResponse<String> answer = download(secret);
            assertThat(answer.statusCode()).as(answer.body()).isEqualTo(503);
            assertThat(answer.headers().firstValue("Retry-After")).isPresent();
            assertThat(answer.body()).contains("waits for its binaries");
        }
        try (Connection db = seed.jdbc();
             PreparedStatement used = db.prepareStatement("SELECT used_at FROM provisioning_script_links WHERE secret_hash = ?")) {
            used.setBytes(1, Secrets.sha256(secret));
            try (ResultSet row = used.executeQuery()) {
                assertThat(row.next()).isTrue();
                assertThat(row.getTimestamp(1)).as("not used up by a 503").isNull();
            }
        }
    }

    @Test
    void aDeviceBeingRemovedTakesItsLinksWithIt() {
        String secret = secretOf(seed.post(owner, MACHINES + "/edge-gone/provisioning-script-link", null));
        assertThat(seed.delete(owner, MACHINES + "/edge-gone").status()).isEqualTo(202);
        assertThat(download(secret).statusCode()).isEqualTo(404);
        assertThat(seed.post(owner, MACHINES + "/edge-gone/provisioning-script-link", null).status())
                .as("no new link for a device being deprovisioned").isEqualTo(409);
    }

    @Test
    void ofTwoRacingDownloadsExactlyOneGetsTheScript() {
        String secret = secretOf(seed.post(owner, MACHINES + "/edge-4/provisioning-script-link", null));
        List<CompletableFuture<HttpResponse<String>>> racing = Stream.of(1, 2, 3)
                .map(i -> HTTP.sendAsync(request(secret), HttpResponse.BodyHandlers.ofString())).toList();
        List<Integer> statuses = racing.stream().map(f -> f.join().statusCode()).sorted().toList();
        assertThat(statuses).containsExactly(200, 404, 404);
    }

    private record Run(int exit, String stderr, Path ran, List<Path> leftInTmp) {
    }

    /** Runs the command as a person would paste it, with a bash on the PATH that keeps what it was asked to run. */
    private Run run(String command) throws Exception {
        Path work = Files.createTempDirectory(dir, "run");
        Path stubs = Files.createDirectories(work.resolve("bin"));
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        Path ran = work.resolve("ran.sh");
        Path stub = stubs.resolve("bash");
        Files.writeString(stub, "#!/bin/sh\ncp \"$1\" '" + ran + "'\n");
        Files.setPosixFilePermissions(stub, PosixFilePermissions.fromString("rwxr-xr-x"));
        ProcessBuilder builder = new ProcessBuilder("/bin/bash", "-c", command).redirectOutput(work.resolve("stdout").toFile())
                .redirectError(work.resolve("stderr").toFile());
        builder.environment().put("PATH", stubs + ":" + System.getenv("PATH"));
        builder.environment().put("TMPDIR", tmp.toString());
        Process process = builder.start();
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).as("the command ends").isTrue();
        try (Stream<Path> left = Files.list(tmp)) {
            return new Run(process.exitValue(), Files.readString(work.resolve("stderr")), ran, left.toList());
        }
    }

    private void shellcheck(String command) throws Exception {
        Path file = Files.createTempFile(dir, "command", ".sh");
        Files.writeString(file, "#!/usr/bin/env bash\n" + command + "\n");
        Process process = new ProcessBuilder("shellcheck", "-S", "style", "-s", "bash", file.toString()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor()).as("shellcheck: " + output).isZero();
    }

    private List<byte[]> storedHashes() throws Exception {
        List<byte[]> hashes = new ArrayList<>();
        try (Connection db = seed.jdbc(); var statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT secret_hash FROM provisioning_script_links")) {
            while (rows.next()) {
                hashes.add(rows.getBytes(1));
            }
        }
        return hashes;
    }

    private static String secretOf(Reply created) {
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        String url = created.json().path("url").asText();
        return url.substring(url.lastIndexOf('/') + 1);
    }

    /** Through the loopback listener, as anyone on the seed's host could; no token. */
    private HttpResponse<String> download(String secret) {
        try {
            return HTTP.send(request(secret), HttpResponse.BodyHandlers.ofString());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    private HttpRequest request(String secret) {
        return HttpRequest.newBuilder(URI.create(seed.baseUrl() + "/provisioning-scripts/" + secret)).GET().build();
    }

    private String token(String project, String role) {
        return seed.post(ADMIN_TOKEN, "/api/v1/projects/" + project + "/tokens", "{\"role\":\"" + role + "\"}").json().path("token").asText();
    }

    private void register(String name, String arch) {
        Reply created = seed.post(owner, MACHINES, "{\"name\":\"" + name + "\",\"os\":\"ubuntu-24.04\",\"arch\":\"" + arch + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
    }

    private void awaitRunning() throws InterruptedException {
        Instant deadline = Instant.now().plus(RUNNING_WITHIN);
        String phase = "";
        while (!phase.equals("Running")) {
            JsonNode cluster = seed.get(owner, CLUSTER).json();
            phase = cluster.path("phase").asText();
            assertThat(phase).as("%s", cluster).isNotEqualTo("Failed");
            assertThat(Instant.now()).as("Running within %s: %s", RUNNING_WITHIN, cluster).isBefore(deadline);
            Thread.sleep(500);
        }
    }
}
