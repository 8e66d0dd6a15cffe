package io.edgeplane.e2e;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.SeedCluster;
import io.edgeplane.testbed.TestBedRun;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.Site;
import io.edgeplane.testbed.device.Subnet;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;

/**
 * What the tunnel adds to {@code kubectl exec -i} (not a test; run on demand, on an idle machine):
 * <pre>
 * mvn -B -q -pl e2e/tests -am install -DskipTests
 * mvn -B -q -pl e2e/tests exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.edgeplane.e2e.TunnelBenchmark
 * </pre>
 * The same kubectl, kubelet, containerd and image twice: once against a pod on the test bed's seed
 * cluster, whose apiserver dials the kubelet directly (a routed node), once against a pod on a
 * device behind NAT of a process-runtime cluster, reached through the tunnel. For stdin of one line,
 * 1 MiB and 8 MiB ({@code hello-http echo} sends it back), kubectl started to exited, it prints the
 * median of {@code EDGEPLANE_BENCH_RUNS} (default 11) rounds of each and the difference, and the
 * tunnel agent's and server's resident memory.
 */
public final class TunnelBenchmark {
    private static final Map<String, Integer> PAYLOADS = new LinkedHashMap<>(Map.of("one line", 0));

    static {
        PAYLOADS.put("1 MiB", 1 << 20);
        PAYLOADS.put("8 MiB", 8 << 20);
    }

    private TunnelBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_RUNS", "11"));
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        Path work = Files.createTempDirectory("edgeplane-bench-");
        Path data = work.resolve("data");
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            String hello = TestImages.helloHttp(registry);
            Map<String, List<Long>> direct;
            try (SeedCluster seedCluster = SeedCluster.start(binaries, registry, host, 0)) {
                KubernetesClient client = seedCluster.client();
                client.pods().inNamespace("default").resource(new PodBuilder()
                        .withNewMetadata().withName("direct").endMetadata()
                        .withNewSpec().withNodeName(seedCluster.nodeName())
                        .addNewContainer().withName("hello").withImage(hello).endContainer().endSpec().build()).create();
                client.pods().inNamespace("default").withName("direct").waitUntilReady(2, TimeUnit.MINUTES);
                direct = measure(binaries, seedCluster.adminKubeconfig(), "default", "direct", runs);
            }
            Files.writeString(SeedManagerInstance.exampleSeed(data), EdgeDevices.seed(host, registry.hostPort(), TestImages.pause(registry)));
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of(
                    "edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()));
                 Site site = Site.create("site-b", Subnet.parse("192.168.80.0/24"))) {
                Device edge = Device.create("edge-b", site);
                seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"bench\"}");
                String cluster = "/api/v1/projects/bench/clusters/line";
                seed.post(ADMIN_TOKEN, "/api/v1/projects/bench/clusters", "{\"name\":\"line\",\"datacenter\":\"lab\"}");
                Clusters.awaitPhase(seed, cluster, "Running", Duration.ofMinutes(2));
                EdgeDevices.sharesTheHostKernel(edge);
                CommandResult provisioned = EdgeDevices.provisionByHand(seed, cluster + "/machinedeployments", edge);
                if (provisioned.exitCode() != 0) {
                    throw new IllegalStateException("provisioning failed: " + provisioned.stdout() + provisioned.stderr());
                }
                Clusters.awaitPhase(seed, cluster + "/machinedeployments/edge-b", "Ready", Duration.ofMinutes(4));
                TunnelE2E.await(seed, cluster + "/machinedeployments/edge-b", "its tunnel up",
                        m -> m.path("tunnel").path("state").asText().equals("connected"));
                Path kubeconfig = work.resolve("line.kubeconfig");
                Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, cluster + "/kubeconfig").body());
                WorkloadApi api = new WorkloadApi(seed, "bench", "line");
                api.registerApp("beacon", "1", hello, 18090);
                api.deploy("beacon", "beacon", "1", List.of("edge-b"), "beacon", false, true);
                api.awaitState("beacon", "running", Duration.ofMinutes(2));
                String pod;
                try (KubernetesClient tenant = TenantClient.of(kubeconfig)) {
                    pod = TunnelE2E.podOn(tenant, "beacon", "edge-b");
                }
                Map<String, List<Long>> tunnel = measure(binaries, kubeconfig, WorkloadApi.NAMESPACE, pod, runs);
                System.out.printf("kubectl exec -i round trip, median of %d, kubectl started to exited (2 cores, test bed):%n", runs);
                System.out.printf("%-9s %12s %12s %12s%n", "stdin", "direct ms", "tunnel ms", "added ms");
                for (String payload : PAYLOADS.keySet()) {
                    long d = median(direct.get(payload));
                    long t = median(tunnel.get(payload));
                    System.out.printf("%-9s %12d %12d %12d%n", payload, d, t, t - d);
                }
                System.out.printf("tunnel agent on the device: %s; tunnel server of the cluster: %s%n",
                        TunnelE2E.rss(edge, "konnectivity-agent"), TunnelE2E.serverRss(data));
                seed.delete(ADMIN_TOKEN, cluster);
                Clusters.awaitGone(seed, cluster, Duration.ofMinutes(1));
            }
        } finally {
            Clusters.killComponentsOf(data);
            TestBedRun.current().close();
        }
    }

    /** Per payload, the wall time of each round (one warm-up round first, not counted). */
    private static Map<String, List<Long>> measure(KubernetesBinaries binaries, Path kubeconfig, String namespace, String pod, int runs)
            throws Exception {
        Map<String, List<Long>> times = new LinkedHashMap<>();
        for (Map.Entry<String, Integer> payload : PAYLOADS.entrySet()) {
            List<Long> rounds = new ArrayList<>();
            for (int i = 0; i <= runs; i++) {
                long took = round(binaries, kubeconfig, namespace, pod, payload.getValue());
                if (i > 0) {
                    rounds.add(took);
                }
            }
            times.put(payload.getKey(), rounds);
        }
        return times;
    }

    private static long round(KubernetesBinaries binaries, Path kubeconfig, String namespace, String pod, int bytes) throws Exception {
        byte[] input = new byte[bytes + 1];
        Arrays.fill(input, (byte) 'x');
        input[bytes] = '\n';
        long started = System.nanoTime();
        Process process = new ProcessBuilder(TunnelE2E.kubectl(binaries, kubeconfig, "exec", "-i", "-n", namespace, pod, "--",
                "/hello-http", "echo")).redirectErrorStream(true).start();
        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
            try (InputStream out = process.getInputStream()) {
                return out.transferTo(OutputStream.nullOutputStream());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
        try (OutputStream in = process.getOutputStream()) {
            in.write(input);
        }
        long received = read.get(2, TimeUnit.MINUTES);
        if (!process.waitFor(2, TimeUnit.MINUTES) || process.exitValue() != 0 || received < bytes) {
            throw new IllegalStateException("kubectl exec to " + namespace + "/" + pod + " failed (received " + received + " bytes)");
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static long median(List<Long> values) {
        return values.stream().sorted().toList().get(values.size() / 2);
    }
}
