package io.edgeplane.seedmanager.config;

import io.edgeplane.seedmanager.cluster.controlplane.pki.MasterKey;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.testbed.ControlPlane;
import io.edgeplane.testbed.KubernetesBinaries;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The master key and admin token as Secrets of a real seed cluster (the test bed's control plane):
 * replicas starting at once agree on one value, and nothing is ever overwritten.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SeedClusterSecretsIT {
    @TempDir
    Path dir;
    private ControlPlane seedCluster;
    private KubernetesClient client;

    @BeforeAll
    void start() throws Exception {
        seedCluster = ControlPlane.start(KubernetesBinaries.ensure(), "127.0.0.1", Duration.ofSeconds(40));
        client = seedCluster.client();
        for (String namespace : List.of("race", "kept", "seed")) {
            client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(namespace).endMetadata().build()).create();
        }
    }

    @AfterAll
    void stop() {
        seedCluster.close();
    }

    @Test
    void replicasStartingAtOnceAgreeOnOneValue() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(6);
        try {
            List<Callable<String>> starts = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                String mine = "value-of-replica-" + i;
                starts.add(() -> {
                    SeedClusterSecrets secrets = secrets("race");
                    try {
                        return secrets.readOrCreate("master-key", () -> mine);
                    } finally {
                        secrets.close();
                    }
                });
            }
            Set<String> seen = new HashSet<>();
            for (Future<String> result : pool.invokeAll(starts)) {
                seen.add(result.get(60, TimeUnit.SECONDS));
            }
            assertThat(seen).hasSize(1);
            assertThat(seen.iterator().next()).startsWith("value-of-replica-");
            assertThat(client.secrets().inNamespace("race").list().getItems())
                    .extracting(s -> s.getMetadata().getName()).containsExactly("edgeplane-master-key");
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void anExistingSecretIsReadNeverOverwrittenAndOneWithoutItsKeyIsRefused() {
        client.secrets().inNamespace("kept").resource(new SecretBuilder().withNewMetadata().withName("edgeplane-admin-token")
                .endMetadata().withData(Map.of("admin-token", base64("operator-chosen-token"))).build()).create();
        client.secrets().inNamespace("kept").resource(new SecretBuilder().withNewMetadata().withName("edgeplane-master-key")
                .endMetadata().withData(Map.of("wrong-key", base64("x"))).build()).create();
        SeedClusterSecrets secrets = secrets("kept");
        try {
            assertThat(secrets.readOrCreate("admin-token", () -> "generated")).isEqualTo("operator-chosen-token");
            assertThatThrownBy(() -> secrets.readOrCreate("master-key", () -> "generated"))
                    .isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageContaining("Secret kept/edgeplane-master-key has no data key 'master-key'");
            assertThat(client.secrets().inNamespace("kept").withName("edgeplane-master-key").get().getData())
                    .containsOnlyKeys("wrong-key");
        } finally {
            secrets.close();
        }
    }

    @Test
    void seedManagerReplicasShareTheGeneratedMasterKeyAndAdminToken() throws Exception {
        Map<String, Object> settings = new HashMap<>(SeedManagerInstance.podsRuntimeWithoutSeedCluster(dir.resolve("config")));
        settings.put("edgeplane.pods-runtime.kubeconfig", seedCluster.apiServer().kubeconfig().toString());
        settings.put(SeedClusterSecrets.NAMESPACE_PROPERTY, "seed");
        settings.put("edgeplane.admin-token", "");
        try (SeedManagerInstance first = SeedManagerInstance.start(dir.resolve("first"), settings)) {
            Map<String, Object> replica = SeedManagerInstance.onDatabaseOf(first, settings);
            try (SeedManagerInstance second = SeedManagerInstance.start(dir.resolve("second"), replica)) {
                assertThat(second.context().getBean(MasterKey.class).fingerprint())
                        .isEqualTo(first.context().getBean(MasterKey.class).fingerprint());
                String token = new String(Base64.getDecoder().decode(client.secrets().inNamespace("seed")
                        .withName("edgeplane-admin-token").get().getData().get("admin-token")), StandardCharsets.UTF_8);
                assertThat(token).startsWith("epa_");
                assertThat(second.get(token, "/api/v1/projects").status()).isEqualTo(200);
                assertThat(first.get(ADMIN_TOKEN, "/api/v1/projects").status()).as("the test default is not in use").isEqualTo(401);
            }
        }
        assertThat(Files.exists(dir.resolve("first/master-key"))).as("nothing generated into the data directory").isFalse();
        assertThat(Files.exists(dir.resolve("first/admin-token"))).isFalse();
        assertThat(client.secrets().inNamespace("seed").list().getItems().stream().map(s -> s.getMetadata().getName())
                .collect(Collectors.toSet())).containsExactlyInAnyOrder("edgeplane-master-key", "edgeplane-admin-token");
    }

    private SeedClusterSecrets secrets(String namespace) {
        return new SeedClusterSecrets(namespace, seedCluster.apiServer().kubeconfig().toString());
    }

    private static String base64(String value) {
        return Base64.getEncoder().encodeToString(value.getBytes(StandardCharsets.UTF_8));
    }
}
