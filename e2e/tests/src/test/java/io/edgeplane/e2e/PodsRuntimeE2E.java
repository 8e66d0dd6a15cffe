package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.SeedCluster;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant cluster on the pods runtime: its control plane runs as pods on the test bed's seed
 * cluster (real kubelet, containerd, kube-proxy and DNS), is exposed by a NodePort Service, reaches
 * Running, answers kubectl with a downloaded kubeconfig over verified TLS, and deleting it removes
 * its namespace.
 */
class PodsRuntimeE2E {
    @TempDir
    Path dir;

    @Test
    void aClusterOnThePodsRuntimeReachesRunningAndAnswersKubectl() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        try (LocalRegistry registry = LocalRegistry.start(host);
             SeedCluster seedCluster = SeedCluster.start(binaries, registry, host, 2)) {
            Path data = dir.resolve("data");
            Map<String, Object> config = PodsRuntimeSeed.configure(data, seedCluster, registry, binaries);
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, config)) {
                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
                String clusters = "/api/v1/projects/acme/clusters";
                long started = System.nanoTime();
                Reply created = seed.post(ADMIN_TOKEN, clusters, "{\"name\":\"plant\",\"datacenter\":\"factory-bremen\"}");
                assertThat(created.status()).as(created.toString()).isEqualTo(202);
                JsonNode running = Clusters.awaitPhase(seed, clusters + "/plant", "Running", Duration.ofMinutes(5));
                System.out.printf("e2e: pods-runtime cluster create to Running in %d ms%n", (System.nanoTime() - started) / 1_000_000);
                assertThat(running.get("endpoint").asText()).startsWith("https://" + seedCluster.nodeAddress() + ":3");

                KubernetesClient client = seedCluster.client();
                String namespace = "cluster-acme-plant";
                assertThat(client.pods().inNamespace(namespace).list().getItems()).as("etcd, apiserver, controller-manager, scheduler")
                        .hasSize(4).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));

                Reply kubeconfig = seed.get(ADMIN_TOKEN, clusters + "/plant/kubeconfig");
                assertThat(kubeconfig.status()).as(kubeconfig.toString()).isEqualTo(200);
                assertThat(kubeconfig.body()).doesNotContain("insecure-skip-tls-verify");
                Path kubeconfigFile = dir.resolve("plant.kubeconfig");
                Files.writeString(kubeconfigFile, kubeconfig.body());
                assertThat(Kubectl.run(binaries, kubeconfigFile, "get", "namespaces")).contains("kube-system");
                assertThat(Kubectl.run(binaries, kubeconfigFile, "auth", "whoami")).contains("edgeplane:admin:");

                assertThat(seed.delete(ADMIN_TOKEN, clusters + "/plant").status()).isEqualTo(202);
                Clusters.awaitGone(seed, clusters + "/plant", Duration.ofSeconds(120));
                for (int i = 0; i < 240 && client.namespaces().withName(namespace).get() != null; i++) {
                    Thread.sleep(500);
                }
                assertThat(client.namespaces().withName(namespace).get()).as("namespace removed with everything in it").isNull();
            }
        }
    }
}
