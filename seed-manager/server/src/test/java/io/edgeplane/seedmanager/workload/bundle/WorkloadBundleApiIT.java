package io.edgeplane.seedmanager.workload.bundle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.seedmanager.app.AppSpec;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.MasterKey;
import io.edgeplane.seedmanager.cluster.controlplane.pki.StoredPki;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Exports bundles from a real seed manager for an image pushed to the test bed's local registry
 * (plain HTTP, listed in the datacenter's insecureRegistries). The cluster never comes up (no
 * binaries); its PKI exists after the first reconcile step, which is all a bundle needs. Workload
 * rows are inserted directly. {@code -Dbundle.keep=FILE} keeps the exported bundle (e.g. to import
 * it with the real ctr by hand).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WorkloadBundleApiIT {
    private static final String WORKLOADS = "/api/v1/projects/acme/clusters/line/workloads";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    static Path dir;
    private LocalRegistry registry;
    private SeedManagerInstance seed;
    private String image;
    private String clusterId;

    @BeforeAll
    void start() throws Exception {
        registry = LocalRegistry.start("127.0.0.1");
        image = TestImages.helloHttp(registry);
        Path data = dir.resolve("data");
        Path seedFile = SeedManagerInstance.exampleSeed(data);
        String yaml = Files.readString(seedFile);
        String insecure = "        insecureRegistries:\n          - registry.plant-2.example.com:5000\n";
        assertThat(yaml).contains(insecure);
        Files.writeString(seedFile, yaml.replace(insecure, insecure + "          - " + registry.hostPort() + "\n"));
        seed = SeedManagerInstance.start(data, Map.of("edgeplane.kubernetes.binaries-dir", dir.resolve("none").toString()));
        seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}");
        seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"globex\"}");
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"factory-bremen\"}")
                .status()).isEqualTo(202);
        String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
        for (String device : List.of("edge-1", "edge-2")) {
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters/line/machinedeployments",
                    "{\"name\":\"" + device + "\",\"os\":\"ubuntu-22.04\",\"arch\":\"" + arch + "\"}").status()).isEqualTo(201);
        }
        clusterId = awaitPki();
        insertWorkload("hello", spec(image, List.of("edge-1")), true);
        insertWorkload("pair", spec(image, List.of("edge-1", "edge-2")), true);
        insertWorkload("only-staged", spec(image, List.of("edge-1")), false);
        insertWorkload("missing", spec(registry.hostPort() + "/edgeplane/nope:1", List.of("edge-1")), true);
        insertWorkload("tls", spec("localhost:" + registry.hostPort().split(":")[1] + "/edgeplane/hello-http:1", List.of("edge-1")), true);
    }

    @AfterAll
    void stop() {
        if (seed != null) {
            seed.close();
        }
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void anOwnerExportsASignedBundleWithTheImageAsTheRegistryServesIt() throws Exception {
        String owner = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/tokens", "{\"role\":\"owner\"}").json().path("token").asText();
        HttpResponse<byte[]> response = download(owner, WORKLOADS + "/hello/bundle");
        assertThat(response.statusCode()).as(new String(response.body(), StandardCharsets.UTF_8)).isEqualTo(200);
        assertThat(response.headers().firstValue("Content-Type")).hasValue("application/x-tar");
        assertThat(response.headers().firstValue("Content-Disposition")).hasValue("attachment; filename=\"hello-line-edge-1.tar\"");
        Path bundle = Files.write(dir.resolve("hello.tar"), response.body());
        if (System.getProperty("bundle.keep") != null) {
            Files.copy(bundle, Path.of(System.getProperty("bundle.keep")), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }

        Map<String, byte[]> files = BundleWriterTest.entries(bundle);
        assertThat(files.keySet()).containsExactly("bundle.env", "pod.yaml", "app.yaml", "images/1.tar", "SHA256SUMS", "SHA256SUMS.sig");
        String env = new String(files.get("bundle.env"), StandardCharsets.UTF_8);
        ClusterPki pki = pki();
        String manifestDigest = registryDigest();
        assertThat(env).contains("CLUSTER=acme/line\n", "WORKLOAD=hello\n", "NODE=edge-1\n", "IMAGE_1=" + image + "\n",
                "IMAGE_1_DIGEST=" + manifestDigest + "\n", "CLUSTER_CA_SHA256=" + BundleWriter.caSha256(pki.certificate("ca")) + "\n");
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pki.certificate("ca").getPublicKey());
        verifier.update(files.get("SHA256SUMS"));
        assertThat(verifier.verify(files.get("SHA256SUMS.sig"))).isTrue();
        assertThat(new String(files.get("SHA256SUMS"), StandardCharsets.US_ASCII))
                .contains(BundleWriterTest.sha256(files.get("images/1.tar")) + "  images/1.tar\n");

        Path layout = Files.write(dir.resolve("image.tar"), files.get("images/1.tar"));
        Map<String, byte[]> blobs = BundleWriterTest.entries(layout);
        JsonNode index = JSON.readTree(blobs.get("index.json"));
        assertThat(index.at("/manifests/0/digest").asText()).isEqualTo(manifestDigest);
        assertThat(index.at("/manifests/0/annotations/io.containerd.image.name").asText()).isEqualTo(image);
        for (Map.Entry<String, byte[]> blob : blobs.entrySet()) {
            if (blob.getKey().startsWith("blobs/sha256/") && !blob.getKey().endsWith("/")) {
                assertThat(BundleWriterTest.sha256(blob.getValue())).as(blob.getKey()).isEqualTo(blob.getKey().substring("blobs/sha256/".length()));
            }
        }
        assertThat(Files.list(Path.of(System.getProperty("java.io.tmpdir"))).filter(p -> p.getFileName().toString().startsWith("edgeplane-bundle-"))
                .filter(p -> Files.exists(p.resolve("bundle.tar")))).as("temporary files are removed once sent").isEmpty();
    }

    @Test
    void theDeviceMustBeNamedWhenTheWorkloadHasSeveralAndMustBeOneOfThem() {
        Reply unnamed = seed.get(ADMIN_TOKEN, WORKLOADS + "/pair/bundle");
        assertThat(unnamed.status()).as(unnamed.toString()).isEqualTo(422);
        assertThat(unnamed.json().at("/errors/0/field").asText()).isEqualTo("node");
        assertThat(unnamed.body()).contains("edge-1", "edge-2");
        Reply stranger = seed.get(ADMIN_TOKEN, WORKLOADS + "/pair/bundle?node=edge-9");
        assertThat(stranger.status()).isEqualTo(422);
        assertThat(stranger.json().at("/errors/0/field").asText()).isEqualTo("node");
        assertThat(stranger.body()).contains("edge-9 is not a node of workload pair");
    }

    @Test
    void aWorkloadWithoutLiveVersionHasNoBundle() {
        Reply reply = seed.get(ADMIN_TOKEN, WORKLOADS + "/only-staged/bundle");
        assertThat(reply.status()).isEqualTo(409);
        assertThat(reply.body()).contains("no live version");
    }

    @Test
    void viewersMayNotAndOtherTenantsSeeNothing() {
        String viewer = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/tokens", "{\"role\":\"viewer\"}").json().path("token").asText();
        String globex = seed.post(ADMIN_TOKEN, "/api/v1/projects/globex/tokens", "{\"role\":\"owner\"}").json().path("token").asText();
        assertThat(seed.get(viewer, WORKLOADS + "/hello/bundle").status()).isEqualTo(403);
        assertThat(seed.get(globex, WORKLOADS + "/hello/bundle").status()).isEqualTo(404);
        assertThat(seed.get(ADMIN_TOKEN, WORKLOADS + "/nobody/bundle").status()).isEqualTo(404);
        assertThat(seed.get(null, WORKLOADS + "/hello/bundle").status()).isEqualTo(401);
    }

    @Test
    void registryProblemsAreReportedAndHttpsIsNeverSkipped() {
        Reply missing = seed.get(ADMIN_TOKEN, WORKLOADS + "/missing/bundle");
        assertThat(missing.status()).as(missing.toString()).isEqualTo(502);
        assertThat(missing.body()).contains("edgeplane/nope:1", "not found");
        Reply tls = seed.get(ADMIN_TOKEN, WORKLOADS + "/tls/bundle");
        assertThat(tls.status()).as(tls.toString()).isEqualTo(502);
        assertThat(tls.body()).contains("localhost:", "TLS failed");
    }

    private HttpResponse<byte[]> download(String token, String path) throws Exception {
        String base = seed.baseUrl();
        HttpRequest request = HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token).GET().build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofByteArray());
    }

    private String registryDigest() throws Exception {
        HttpRequest request = HttpRequest.newBuilder(registry.uri().resolve("/v2/edgeplane/hello-http/manifests/1"))
                .header("Accept", String.join(",", RegistryReader.OCI_MANIFEST, RegistryReader.DOCKER_MANIFEST))
                .method("HEAD", HttpRequest.BodyPublishers.noBody()).build();
        return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.discarding()).headers().firstValue("Docker-Content-Digest").orElseThrow();
    }

    private static WorkloadSpec spec(String image, List<String> nodes) {
        return new WorkloadSpec("hello", "1", List.of(new AppSpec.Container("web", image, Map.of("PORT", "18080"),
                List.of(new AppSpec.Port("http", 18080, 18080, "TCP")), null)), Map.of("greeting", "hi"), nodes);
    }

    private String awaitPki() throws Exception {
        Instant deadline = Instant.now().plus(Duration.ofSeconds(60));
        while (Instant.now().isBefore(deadline)) {
            try (var connection = seed.jdbc();
                 ResultSet rows = connection.createStatement().executeQuery("SELECT id, pki FROM clusters WHERE name = 'line'")) {
                if (rows.next() && rows.getString(2) != null) {
                    return rows.getString(1);
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError("cluster line has no PKI after 60 s");
    }

    private ClusterPki pki() throws Exception {
        try (var connection = seed.jdbc();
             ResultSet rows = connection.createStatement().executeQuery("SELECT pki FROM clusters WHERE id = '" + clusterId + "'")) {
            rows.next();
            StoredPki stored = seed.context().getBean(io.micronaut.serde.ObjectMapper.class).readValue(rows.getString(1), StoredPki.class);
            return ClusterPki.fromStored(stored, seed.context().getBean(MasterKey.class), clusterId);
        }
    }

    private void insertWorkload(String name, WorkloadSpec spec, boolean live) throws Exception {
        String json = seed.context().getBean(io.micronaut.serde.ObjectMapper.class).writeValueAsString(spec);
        try (var connection = seed.jdbc(); PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO workloads (id, cluster_id, name, title, app_name, app_version, live_spec, staged_app_version, staged_spec,
                                       staged_state, state)
                VALUES (?, ?, ?, ?, 'hello', ?, ?, ?, ?, ?, ?)""")) {
            insert.setString(1, "w-" + name);
            insert.setString(2, clusterId);
            insert.setString(3, name);
            insert.setString(4, name);
            insert.setString(5, live ? "1" : null);
            insert.setString(6, live ? json : null);
            insert.setString(7, live ? null : "1");
            insert.setString(8, live ? null : json);
            insert.setString(9, live ? null : "received");
            insert.setString(10, live ? "running" : "staged");
            insert.executeUpdate();
        }
    }
}
