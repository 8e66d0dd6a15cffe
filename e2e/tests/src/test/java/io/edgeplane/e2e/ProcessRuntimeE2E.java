package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedRun;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * A tenant cluster on the embedded process runtime, driven only through the admin API: it reaches
 * Running, real kubectl works with the downloaded kubeconfig (TLS verified), Secrets are encrypted in
 * etcd, a killed apiserver is
 * healed, and deletion leaves no process or directory behind.
 */
class ProcessRuntimeE2E {
    @TempDir
    Path dir;

    /** Control-plane processes outlive the seed manager on purpose; a failed test must not leave them running. */
    @AfterEach
    void killLeftoverComponents() {
        Clusters.killComponentsOf(dir.resolve("data"));
    }

    @Test
    void aClusterOnTheProcessRuntimeServesKubectlHealsAndGoesAwayCleanly() throws Exception {
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        Path binariesRoot = binaries.dir().getParent().getParent();
        Path data = dir.resolve("data");
        try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of("edgeplane.kubernetes.binaries-dir", binariesRoot.toString()))) {
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
            String clusters = "/api/v1/projects/acme/clusters";

            long started = System.nanoTime();
            Reply created = seed.post(ADMIN_TOKEN, clusters, "{\"name\":\"store\",\"datacenter\":\"store-hamburg-01\","
                    + "\"nodeHealth\":{\"gracePeriodSeconds\":20,\"evictionSeconds\":30}}");
            assertThat(created.status()).as(created.toString()).isEqualTo(202);
            assertThat(created.json().get("phase").asText()).isEqualTo("Creating");
            JsonNode running = Clusters.awaitPhase(seed, clusters + "/store", "Running", Duration.ofSeconds(120));
            System.out.printf("e2e: process-runtime cluster create to Running in %d ms%n", (System.nanoTime() - started) / 1_000_000);
            assertThat(running.get("version").asText()).isEqualTo(binaries.versions().kubernetes());
            assertThat(running.get("endpoint").asText()).startsWith("https://127.0.0.1:");
            assertThat(running.get("certificateExpiry").has("apiserver")).isTrue();
            // The cluster's node-health timeouts reach the components' command lines (and they accept them).
            assertThat(TestBedRun.commandLine(pidOf("kube-controller-manager", data))).contains("--node-monitor-grace-period=20s");
            assertThat(TestBedRun.commandLine(pidOf("kube-apiserver", data)))
                    .contains("--default-not-ready-toleration-seconds=30").contains("--default-unreachable-toleration-seconds=30");

            Reply kubeconfig = seed.get(ADMIN_TOKEN, clusters + "/store/kubeconfig");
            assertThat(kubeconfig.status()).as(kubeconfig.toString()).isEqualTo(200);
            assertThat(kubeconfig.body()).doesNotContain("insecure-skip-tls-verify");
            Path kubeconfigFile = dir.resolve("store.kubeconfig");
            Files.writeString(kubeconfigFile, kubeconfig.body());
            assertThat(Kubectl.run(binaries, kubeconfigFile, "get", "namespaces")).contains("kube-system");

            // Secrets are encrypted in etcd with the cluster's own key, and read back in clear through the API.
            Kubectl.run(binaries, kubeconfigFile, "create", "secret", "generic", "at-rest", "--from-literal=token=sentinel-in-clear");
            Path clusterDir = Path.of(TestBedRun.commandLine(pidOf("etcd", data)).replaceAll(".*--data-dir=(\\S+)/etcd.*", "$1"));
            String stored = EtcdContents.raw(clusterDir, pidOf("etcd", data), "/registry/secrets/default/at-rest");
            assertThat(stored).startsWith("k8s:enc:secretbox:v1:key-1:").doesNotContain("sentinel-in-clear");
            assertThat(Kubectl.run(binaries, kubeconfigFile, "get", "secret", "at-rest", "-o", "jsonpath={.data.token}"))
                    .isEqualTo(Base64.getEncoder().encodeToString("sentinel-in-clear".getBytes()));
            assertThat(Files.getPosixFilePermissions(clusterDir.resolve("encryption-config.yaml")))
                    .containsExactlyInAnyOrder(PosixFilePermission.OWNER_READ,
                            PosixFilePermission.OWNER_WRITE);

            long apiserverPid = pidOf("kube-apiserver", data);
            ProcessHandle.of(apiserverPid).ifPresent(ProcessHandle::destroyForcibly);
            long healStarted = System.nanoTime();
            Kubectl.awaitAnswer(binaries, kubeconfigFile, Duration.ofSeconds(90));
            System.out.printf("e2e: killed apiserver answering again after %d ms%n", (System.nanoTime() - healStarted) / 1_000_000);
            assertThat(pidOf("kube-apiserver", data)).isNotEqualTo(apiserverPid);

            // A revoked kubeconfig authenticates but may do nothing; an expired one does not authenticate.
            String credentialId = seed.get(ADMIN_TOKEN, clusters + "/store/kubeconfigs").json().get("items").get(0).get("id").asText();
            assertThat(seed.delete(ADMIN_TOKEN, clusters + "/store/kubeconfigs/" + credentialId).status()).isEqualTo(204);
            assertThatThrownBy(() -> Kubectl.run(binaries, kubeconfigFile, "get", "namespaces")).hasMessageContaining("Forbidden");
            Path shortLived = dir.resolve("short.kubeconfig");
            Files.writeString(shortLived, seed.get(ADMIN_TOKEN, clusters + "/store/kubeconfig?lifetime=3s").body());
            assertThat(Kubectl.run(binaries, shortLived, "get", "namespaces")).contains("kube-system");
            Thread.sleep(4_000);
            assertThatThrownBy(() -> Kubectl.run(binaries, shortLived, "get", "namespaces")).hasMessageContaining("Unauthorized");
            assertThat(seed.get(ADMIN_TOKEN, clusters + "/store/kubeconfig?lifetime=2h").status()).isEqualTo(422);
        }

        // A restarted seed manager adopts the running components instead of starting them twice.
        long apiserverBeforeRestart = pidOf("kube-apiserver", data);
        try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of("edgeplane.kubernetes.binaries-dir", binariesRoot.toString()))) {
            String clusters = "/api/v1/projects/acme/clusters";
            Thread.sleep(3_000); // at least one reconcile pass
            assertThat(Clusters.awaitPhase(seed, clusters + "/store", "Running", Duration.ofSeconds(60)).get("phase").asText()).isEqualTo("Running");
            assertThat(pidOf("kube-apiserver", data)).as("adopted, not restarted").isEqualTo(apiserverBeforeRestart);
            assertThat(ProcessHandle.allProcesses().filter(p -> p.info().command().map(c -> c.endsWith("/kube-apiserver")).orElse(false))
                    .filter(p -> TestBedRun.commandLine(p.pid()).contains(data.toString())).count()).isEqualTo(1);

            assertThat(seed.delete(ADMIN_TOKEN, clusters + "/store").status()).isEqualTo(202);
            Clusters.awaitGone(seed, clusters + "/store", Duration.ofSeconds(60));
            assertThat(ProcessHandle.allProcesses().filter(p -> TestBedRun.commandLine(p.pid()).contains(data.toString() + "/clusters/")).toList())
                    .as("no component process left").isEmpty();
            try (var entries = Files.list(data.resolve("clusters"))) {
                assertThat(entries.toList()).as("no cluster directory left").isEmpty();
            }
        }
    }

    private static long pidOf(String component, Path data) {
        return ProcessHandle.allProcesses()
                .filter(p -> p.info().command().map(c -> c.endsWith("/" + component)).orElse(false))
                .filter(p -> TestBedRun.commandLine(p.pid()).contains(data.toString()))
                .findFirst().orElseThrow(() -> new AssertionError("no " + component + " process")).pid();
    }

}
