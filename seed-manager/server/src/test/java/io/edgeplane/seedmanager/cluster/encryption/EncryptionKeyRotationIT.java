package io.edgeplane.seedmanager.cluster.encryption;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.seedmanager.contract.ControlPlaneProcesses;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rotation of a process-runtime cluster's Secrets encryption key, through the API, against real
 * v1.36 binaries: the apiserver reloads each configuration by itself, every Secret ends under the
 * new key in etcd (read raw, past the apiserver) and still reads in clear through the API. The seed
 * manager is stopped halfway and the next one finishes the rotation from the stored step.
 */
class EncryptionKeyRotationIT {
    private static final String CLUSTER = "/api/v1/projects/acme/clusters/store";
    /** More than one page of the rewrite (SecretRewriter.PAGE), so resuming at a continue token is exercised. */
    private static final int SECRETS = 120;
    private static final Pattern CLIENT_URL = Pattern.compile("--listen-client-urls=(https://[^ ,]+)");

    @TempDir
    Path dir;

    @AfterEach
    void stopControlPlanes() {
        ControlPlaneProcesses.killUnder(dir.resolve("data"));
    }

    @Test
    void rotationRewritesEverySecretUnderTheNewKeyAndDropsTheOld() throws Exception {
        Path binaries = KubernetesBinaries.ensure().dir().getParent().getParent();
        Path data = dir.resolve("data");
        Map<String, Object> config = Map.of("edgeplane.kubernetes.binaries-dir", binaries.toString());
        String before;
        Path clusterDir;
        Path kubeconfig = dir.resolve("store.kubeconfig");
        try (SeedManagerInstance seed = SeedManagerInstance.start(data, config)) {
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
            Reply created = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"store\",\"datacenter\":\"store-hamburg-01\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(202);
            assertThat(seed.post(ADMIN_TOKEN, CLUSTER + "/encryption-key-rotation", null).status())
                    .as("no key to rotate before the control plane ran").isIn(202, 409);
            await(seed, "phase", "Running", Duration.ofSeconds(180));
            // A rotation requested while it was being created may have run; this test starts from the state it finds.
            await(seed, "encryptionKeyRotation.phase", null, Duration.ofMinutes(6));
            before = seed.get(ADMIN_TOKEN, CLUSTER).json().path("encryptionKeys").get(0).asText();
            try (Stream<Path> dirs = Files.list(data.resolve("clusters"))) {
                clusterDir = dirs.filter(Files::isDirectory).findFirst().orElseThrow();
            }
            Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, CLUSTER + "/kubeconfig").body());
            try (KubernetesClient tenant = tenant(kubeconfig)) {
                for (int i = 0; i < SECRETS; i++) {
                    tenant.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("s-" + i).endMetadata()
                            .addToStringData("token", "sentinel-" + i).build()).create();
                }
            }
            assertThat(raw(clusterDir, "/registry/secrets/default/s-0")).startsWith("k8s:enc:secretbox:v1:" + before + ":");

            Reply started = seed.post(ADMIN_TOKEN, CLUSTER + "/encryption-key-rotation", null);
            assertThat(started.status()).as(started.toString()).isEqualTo(202);
            assertThat(started.json().path("encryptionKeyRotation").path("phase").asText()).isEqualTo("Requested");
            Reply again = seed.post(ADMIN_TOKEN, CLUSTER + "/encryption-key-rotation", null);
            assertThat(again.status()).as(again.toString()).isEqualTo(409);
            assertThat(again.contentType()).startsWith("application/problem+json");
            assertThat(again.body()).contains("already rotates");
            // Project RBAC like other cluster changes: a viewer may not, another project does not see the cluster.
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"globex\"}").status()).isEqualTo(201);
            String viewer = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/tokens", "{\"role\":\"viewer\"}").json().path("token").asText();
            String globex = seed.post(ADMIN_TOKEN, "/api/v1/projects/globex/tokens", "{\"role\":\"owner\"}").json().path("token").asText();
            assertThat(seed.post(viewer, CLUSTER + "/encryption-key-rotation", null).status()).isEqualTo(403);
            assertThat(seed.post(globex, CLUSTER + "/encryption-key-rotation", null).status()).isEqualTo(404);

            // Stopped halfway: the next seed manager goes on from the stored step.
            JsonNode halfway = await(seed, "encryptionKeyRotation.phase", "SwitchingWriter", Duration.ofMinutes(3));
            // The new key writes, the old one still reads.
            await(seed, "encryptionKeys", "[\"" + halfway.path("encryptionKeyRotation").path("toKey").asText() + "\",\"" + before + "\"]",
                    Duration.ofSeconds(20));
        }

        try (SeedManagerInstance seed = SeedManagerInstance.start(data, config);
             KubernetesClient tenant = tenant(kubeconfig)) {
            long resumed = System.nanoTime();
            JsonNode done = await(seed, "encryptionKeyRotation.phase", "Done", Duration.ofMinutes(6));
            System.out.printf("it: encryption key rotation Done %d ms after the restart%n", (System.nanoTime() - resumed) / 1_000_000);
            JsonNode rotation = done.path("encryptionKeyRotation");
            String after = rotation.path("toKey").asText();
            assertThat(rotation.path("fromKey").asText()).isEqualTo(before);
            assertThat(after).isNotEqualTo(before).startsWith("key-");
            assertThat(rotation.path("secretsRewritten").asLong()).isGreaterThanOrEqualTo(SECRETS);
            assertThat(rotation.has("secretsContinue")).isFalse();
            assertThat(rotation.path("startedAt").asText()).isNotEmpty();
            assertThat(rotation.path("finishedAt").asText()).isNotEmpty();
            await(seed, "encryptionKeys", "[\"" + after + "\"]", Duration.ofSeconds(30));
            assertThat(seed.get(ADMIN_TOKEN, CLUSTER).json().path("phase").asText()).isEqualTo("Running");

            for (String secret : List.of("s-0", "s-" + (SECRETS - 1))) {
                assertThat(raw(clusterDir, "/registry/secrets/default/" + secret))
                        .startsWith("k8s:enc:secretbox:v1:" + after + ":").doesNotContain("sentinel");
            }
            assertThat(tenant.secrets().inNamespace("default").withName("s-0").get().getData().get("token"))
                    .isEqualTo(Base64.getEncoder().encodeToString("sentinel-0".getBytes(StandardCharsets.UTF_8)));
            String file = Files.readString(clusterDir.resolve("encryption-config.yaml"));
            assertThat(file).contains("name: " + after).doesNotContain("name: " + before);

            Reply next = seed.post(ADMIN_TOKEN, CLUSTER + "/encryption-key-rotation", null);
            assertThat(next.status()).as("a finished rotation does not block the next").isEqualTo(202);
            assertThat(seed.get(ADMIN_TOKEN, "/api/v1/audit?limit=100").body()).as("audited, refusals included")
                    .contains("POST " + CLUSTER + "/encryption-key-rotation").contains("\"409\"").contains("\"403\"");
        }
    }

    private static KubernetesClient tenant(Path kubeconfig) throws Exception {
        return new KubernetesClientBuilder().withConfig(
                new ConfigBuilder(Config.fromKubeconfig(Files.readString(kubeconfig))).withClientKeyAlgo("EC").build()).build();
    }

    /** Polls the cluster until {@code path} (dotted) shows {@code value} (its JSON text for arrays; null: absent or Done). */
    private static JsonNode await(SeedManagerInstance seed, String path, String value, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = seed.get(ADMIN_TOKEN, CLUSTER).json();
            JsonNode field = last;
            for (String part : path.split("\\.")) {
                field = field.path(part);
            }
            String shown = field.isArray() ? field.toString() : field.asText();
            if (value == null ? field.isMissingNode() || shown.equals("Done") : value.equals(shown)) {
                return last;
            }
            Thread.sleep(1_000);
        }
        throw new AssertionError(CLUSTER + " never had " + path + "=" + value + ": " + last);
    }

    /** The raw stored bytes of {@code key} through etcd's gRPC gateway, with the apiserver's etcd client certificate. */
    private static String raw(Path clusterDir, String key) throws Exception {
        String pid = Files.readString(clusterDir.resolve("etcd.pid")).trim();
        Matcher url = CLIENT_URL.matcher(ControlPlaneProcesses.commandLine(Long.parseLong(pid)));
        assertThat(url.find()).as("etcd's client URL").isTrue();
        Path pki = clusterDir.resolve("pki");
        String body = "{\"key\":\"" + Base64.getEncoder().encodeToString(key.getBytes(StandardCharsets.UTF_8)) + "\"}";
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--fail", "--max-time", "10",
                "--cacert", pki.resolve("etcd/ca.crt").toString(),
                "--cert", pki.resolve("apiserver-etcd-client.crt").toString(),
                "--key", pki.resolve("apiserver-etcd-client.key").toString(),
                "-X", "POST", "--data", body, url.group(1) + "/v3/kv/range"));
        Process curl = new ProcessBuilder(command).redirectErrorStream(true).start();
        String reply = new String(curl.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(curl.waitFor(20, TimeUnit.SECONDS) && curl.exitValue() == 0).as(reply).isTrue();
        JsonNode kvs = new ObjectMapper().readTree(reply).path("kvs");
        assertThat(kvs.size()).as(reply).isEqualTo(1);
        return new String(Base64.getDecoder().decode(kvs.get(0).get("value").asText()), StandardCharsets.ISO_8859_1);
    }
}
