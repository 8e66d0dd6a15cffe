package io.edgeplane.e2e;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.Site;
import io.edgeplane.testbed.device.Subnet;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What conformant clusters give every pod, on a device behind NAT: kube-proxy and a node-local
 * CoreDNS run there as static pods, so a pod resolves a Service by name, reaches it by its
 * ClusterIP, and talks to the apiserver in-cluster ({@code https://kubernetes.default.svc}) with its
 * service account. The apiserver calls an admission webhook and an aggregated API served by a pod
 * there, through the tunnel. With the WAN down, the device's own Services still resolve and answer.
 */
class ClusterServicesE2E {
    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final String DNS = "169.254.20.10";
    private static final String SERVICE_NAME = "beacon.edgeplane-workloads.svc.cluster.local";

    @TempDir
    Path dir;

    @AfterEach
    void killLeftoverComponents() {
        Clusters.killComponentsOf(dir.resolve("data"));
    }

    @Test
    void podsOnADeviceBehindNatResolveAndReachServicesAndTheApiserverAndServeWebhooks() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            String hello = TestImages.helloHttp(registry);
            Path data = dir.resolve("data");
            Files.writeString(SeedManagerInstance.exampleSeed(data), EdgeDevices.seed(host, registry.hostPort(), TestImages.pause(registry)));
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of(
                    "edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()));
                 Site site = Site.create("site-s", Subnet.parse("192.168.70.0/24"))) {
                Device edge = Device.create("edge-s", site);
                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
                String cluster = "/api/v1/projects/acme/clusters/line";
                Reply created = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"lab\"}");
                assertThat(created.status()).as(created.toString()).isEqualTo(202);
                Clusters.awaitPhase(seed, cluster, "Running", Duration.ofMinutes(2));
                String machines = cluster + "/machinedeployments";
                EdgeDevices.sharesTheHostKernel(edge);
                long started = System.nanoTime();
                CommandResult provisioned = EdgeDevices.provisionByHand(seed, machines, edge);
                assertThat(provisioned.exitCode()).as(provisioned.stdout() + provisioned.stderr()).isZero();
                Clusters.awaitPhase(seed, machines + "/edge-s", "Ready", Duration.ofMinutes(4));
                TunnelE2E.await(seed, machines + "/edge-s", "its tunnel up", m -> m.path("tunnel").path("state").asText().equals("connected"));

                Path kubeconfig = dir.resolve("line.kubeconfig");
                Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, cluster + "/kubeconfig").body());
                try (KubernetesClient tenant = TenantClient.of(kubeconfig)) {
                    awaitRunning(tenant, "kube-system", "kube-proxy-edge-s");
                    awaitRunning(tenant, "kube-system", "coredns-edge-s");
                    System.out.printf("e2e: device provisioned to kube-proxy and CoreDNS running on it in %d ms%n", millisSince(started));

                    WorkloadApi api = new WorkloadApi(seed, "acme", "line");
                    assertThat(api.registerApp("beacon", "1", hello, 18095).status()).isEqualTo(201);
                    Reply deployed = api.deploy("beacon", "beacon", "1", List.of("edge-s"), "beacon", false, true);
                    assertThat(deployed.status()).as(deployed.toString()).isEqualTo(202);
                    api.awaitState("beacon", "running", SETTLE);
                    String clusterIp = tenant.services().inNamespace(WorkloadApi.NAMESPACE).resource(new ServiceBuilder()
                                    .withNewMetadata().withName("beacon").endMetadata()
                                    .withNewSpec().withSelector(WorkloadApi.workloadSelector("beacon"))
                                    .addNewPort().withPort(80).withTargetPort(new IntOrString(8080)).endPort().endSpec().build())
                            .create().getSpec().getClusterIP();
                    tenant.pods().inNamespace("default").resource(clientPod(hello, "edge-s")).create();
                    awaitRunning(tenant, "default", "client");

                    started = System.nanoTime();
                    assertThat(inClient(binaries, kubeconfig, "resolve", SERVICE_NAME)).contains(clusterIp);
                    System.out.printf("e2e: a pod on the device resolves a Service by name in %d ms%n", millisSince(started));
                    assertThat(inClient(binaries, kubeconfig, "get", "http://beacon.edgeplane-workloads.svc/")).contains("hello from");
                    assertThat(inClient(binaries, kubeconfig, "resolve", "beacon.edgeplane-workloads")).as("the search path")
                            .contains(clusterIp);
                    String version = inClient(binaries, kubeconfig, "kube", "/version");
                    assertThat(version).as("in-cluster API access as the pod's service account").contains("\"gitVersion\"");
                    DeviceServedApis.prove(tenant, hello, "edge-s");

                    // WAN down: the device's own Service still resolves at its node-local DNS and answers at its ClusterIP.
                    Path client = edge.hostPath("/root/hello-http");
                    Files.copy(TestImages.helloHttpBinary(), client, StandardCopyOption.REPLACE_EXISTING);
                    client.toFile().setExecutable(true);
                    edge.cutOff();
                    CommandResult resolved = edge.exec(List.of("/root/hello-http", "resolve", SERVICE_NAME, DNS), Map.of(), Duration.ofSeconds(45));
                    assertThat(resolved.exitCode()).as(resolved.stdout() + resolved.stderr()).isZero();
                    assertThat(resolved.stdout()).contains(clusterIp);
                    CommandResult answered = edge.exec(List.of("/root/hello-http", "get", "http://" + clusterIp + "/"), Map.of(),
                            Duration.ofSeconds(75));
                    assertThat(answered.exitCode()).as(answered.stdout() + answered.stderr()).isZero();
                    assertThat(answered.stdout()).contains("hello from");
                    System.out.println("e2e: with the WAN down the device's Service still resolves and answers at its ClusterIP");
                    edge.reconnect();
                    Clusters.awaitPhase(seed, machines + "/edge-s", "Ready", Duration.ofMinutes(2));
                }
                assertThat(seed.delete(ADMIN_TOKEN, cluster).status()).isEqualTo(202);
                Clusters.awaitGone(seed, cluster, Duration.ofMinutes(1));
            }
        }
    }

    /** A plain pod on the device with the default service account's token, to act as an in-cluster client. */
    static Pod clientPod(String image, String node) {
        return new PodBuilder()
                .withNewMetadata().withName("client").endMetadata()
                .withNewSpec()
                .withNodeName(node)
                .addNewContainer().withName("client").withImage(image)
                .addNewEnv().withName("PORT").withValue("8081").endEnv()
                .endContainer()
                .endSpec()
                .build();
    }

    static void awaitRunning(KubernetesClient tenant, String namespace, String pod) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        Pod last = null;
        while (System.nanoTime() < deadline) {
            last = tenant.pods().inNamespace(namespace).withName(pod).get();
            if (last != null && last.getStatus() != null && "Running".equals(last.getStatus().getPhase())) {
                return;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("pod " + namespace + "/" + pod + " never Running: " + (last == null ? "absent" : last.getStatus()));
    }

    /** Runs hello-http with {@code args} in the client pod, through the tunnel; its output. */
    static String inClient(KubernetesBinaries binaries, Path kubeconfig, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("exec", "-n", "default", "client", "--", "/hello-http"));
        command.addAll(List.of(args));
        Process process = new ProcessBuilder(TunnelE2E.kubectl(binaries, kubeconfig, command.toArray(String[]::new)))
                .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(90, TimeUnit.SECONDS)).as("kubectl exec ends").isTrue();
        assertThat(process.exitValue()).as("hello-http %s in the client pod: %s", String.join(" ", args), output).isZero();
        return output;
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
