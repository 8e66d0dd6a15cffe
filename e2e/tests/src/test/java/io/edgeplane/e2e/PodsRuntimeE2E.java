package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.SeedCluster;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.Site;
import io.edgeplane.testbed.device.Subnet;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.TestImages;
import io.edgeplane.testbed.images.LocalRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * A tenant cluster on the pods runtime: its control plane runs as pods on the test bed's seed
 * cluster (real kubelet, containerd, kube-proxy and DNS), is exposed by a NodePort Service, reaches
 * Running, answers kubectl with a downloaded kubeconfig over verified TLS, takes a device behind NAT
 * whose {@code kubectl exec} and {@code logs} go through the tunnel server beside the apiserver, and
 * deleting it removes its namespace.
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
            // Devices join datacenter lab; the seed cluster's node is the seed's external address.
            Files.writeString(SeedManagerInstance.exampleSeed(data),
                    EdgeDevices.seed(seedCluster.nodeAddress(), registry.hostPort(), TestImages.pause(registry)));
            Map<String, Object> config = new HashMap<>(PodsRuntimeSeed.configure(data, seedCluster, registry, binaries));
            config.put("edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString());
            // The seed manager runs on the host, not behind the seed cluster's node: devices fetch artifacts there.
            int httpsPort = SeedManagerInstance.freePort();
            config.put("edgeplane.https.port", httpsPort);
            config.put("edgeplane.machines.mirror-url", "https://" + host + ":" + httpsPort);
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, config)) {
                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
                String clusters = "/api/v1/projects/acme/clusters";
                long started = System.nanoTime();
                Reply created = seed.post(ADMIN_TOKEN, clusters, "{\"name\":\"plant\",\"datacenter\":\"lab\"}");
                assertThat(created.status()).as(created.toString()).isEqualTo(202);
                JsonNode running = Clusters.awaitPhase(seed, clusters + "/plant", "Running", Duration.ofMinutes(5));
                System.out.printf("e2e: pods-runtime cluster create to Running in %d ms%n", (System.nanoTime() - started) / 1_000_000);
                assertThat(running.get("endpoint").asText()).startsWith("https://" + seedCluster.nodeAddress() + ":3");

                KubernetesClient client = seedCluster.client();
                String namespace = "cluster-acme-plant";
                assertThat(client.pods().inNamespace(namespace).list().getItems()).as("etcd, apiserver (with its tunnel server), controller-manager, scheduler")
                        .hasSize(4).allSatisfy(p -> assertThat(p.getStatus().getPhase()).isEqualTo("Running"));

                Reply kubeconfig = seed.get(ADMIN_TOKEN, clusters + "/plant/kubeconfig");
                assertThat(kubeconfig.status()).as(kubeconfig.toString()).isEqualTo(200);
                assertThat(kubeconfig.body()).doesNotContain("insecure-skip-tls-verify");
                Path kubeconfigFile = dir.resolve("plant.kubeconfig");
                Files.writeString(kubeconfigFile, kubeconfig.body());
                assertThat(Kubectl.run(binaries, kubeconfigFile, "get", "namespaces")).contains("kube-system");
                assertThat(Kubectl.run(binaries, kubeconfigFile, "auth", "whoami")).contains("edgeplane:admin:");

                // A device behind NAT: it reaches the seed's addresses only, and the apiserver reaches it through the tunnel.
                try (Site site = Site.create("site-p", Subnet.parse("192.168.60.0/24"), List.of(seedCluster.nodeAddress()))) {
                    Device edge = Device.create("edge-p", site);
                    EdgeDevices.sharesTheHostKernel(edge);
                    String machines = clusters + "/plant/machinedeployments";
                    started = System.nanoTime();
                    CommandResult provisioned = EdgeDevices.provisionByHand(seed, machines, edge);
                    assertThat(provisioned.exitCode()).as(provisioned.stdout() + provisioned.stderr()).isZero();
                    Clusters.awaitPhase(seed, machines + "/edge-p", "Ready", Duration.ofMinutes(4));
                    TunnelE2E.await(seed, machines + "/edge-p", "its tunnel up", m -> m.path("tunnel").path("state").asText().equals("connected"));
                    System.out.printf("e2e: NAT'd device on a pods-runtime cluster provisioned, tunnel up in %d ms%n",
                            (System.nanoTime() - started) / 1_000_000);
                    WorkloadApi api = new WorkloadApi(seed, "acme", "plant");
                    assertThat(api.registerApp("beacon", "1", TestImages.helloHttp(registry), 18090).status()).isEqualTo(201);
                    Reply deployed = api.deploy("beacon", "beacon", "1", List.of("edge-p"), "beacon", false, true);
                    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(202);
                    api.awaitState("beacon", "running", Duration.ofMinutes(2));
                    try (KubernetesClient tenant = TenantClient.of(kubeconfigFile)) {
                        String pod = TunnelE2E.podOn(tenant, "beacon", "edge-p");
                        assertThat(TunnelE2E.exec(binaries, kubeconfigFile, pod, "through the pod's tunnel"))
                                .contains("echo from " + pod).contains("through the pod's tunnel");
                        assertThat(TunnelE2E.awaitLogs(binaries, kubeconfigFile, pod)).contains("listening on");
                        // In-cluster API access: the kubernetes Service points at the NodePort devices dial.
                        tenant.pods().inNamespace("default").resource(ClusterServicesE2E.clientPod(TestImages.helloHttp(registry), "edge-p"))
                                .create();
                        ClusterServicesE2E.awaitRunning(tenant, "default", "client");
                        assertThat(ClusterServicesE2E.inClient(binaries, kubeconfigFile, "kube", "/version")).contains("\"gitVersion\"");
                    }
                }

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
