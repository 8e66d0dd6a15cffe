package io.edgeplane.e2e;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.TestBedRun;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;

/**
 * Workloads on one test-bed device (not a test; run on demand):
 * <pre>
 * mvn -B -q -pl e2e/tests -am install -DskipTests
 * mvn -B -q -pl e2e/tests exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.edgeplane.e2e.WorkloadBenchmark
 * </pre>
 * Prints the medians over {@code EDGEPLANE_BENCH_RUNS} (default 5) of: deploy API call to
 * {@code running} with the image already on the node (target at most 3 s), and with the image
 * pulled from the local registry (removed from the node's containerd before each run; target at most
 * 5 s); and over {@code EDGEPLANE_BENCH_RECONNECT_RUNS} (default 3) of: device reconnected to the
 * deploy made while it was cut off {@code running}.
 */
public final class WorkloadBenchmark {
    private static final String CLUSTER = "/api/v1/projects/bench/clusters/bench";
    private static final Duration SETTLE = Duration.ofMinutes(3);
    /** Removes the references matching $1 and, with them, the content (see {@link #removeImages}). */
    private static final String REMOVE_IMAGES = String.join("\n",
            "refs=$(ctr --namespace k8s.io images ls | awk -v pattern=\"$1\" 'NR > 1 { target[$1] = $3; if (index($1, pattern)) wanted[$3] = 1 }",
            "  END { for (ref in target) if (target[ref] in wanted) print ref }')",
            "if [ -n \"$refs\" ]; then",
            "  ctr --namespace k8s.io images rm --sync $refs >/dev/null",
            "fi",
            "! ctr --namespace k8s.io images ls -q | grep -q -- \"$1\"");

    private WorkloadBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_RUNS", "5"));
        int reconnectRuns = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_RECONNECT_RUNS", "3"));
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        Path data = Files.createTempDirectory("edgeplane-bench-").resolve("data");
        String host = TestNetwork.current().hostAddress();
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            String hello = TestImages.helloHttp(registry);
            Files.writeString(SeedManagerInstance.exampleSeed(data), EdgeDevices.seed(host, registry.hostPort(), TestImages.pause(registry)));
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of(
                    "edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()));
                 Device device = Device.create("bench-1")) {
                seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"bench\"}");
                // A short grace period only makes the cut-off device NotReady sooner; it does not change what is measured.
                seed.post(ADMIN_TOKEN, "/api/v1/projects/bench/clusters",
                        "{\"name\":\"bench\",\"datacenter\":\"lab\",\"nodeHealth\":{\"gracePeriodSeconds\":20}}");
                Clusters.awaitPhase(seed, CLUSTER, "Running", Duration.ofMinutes(2));
                String machines = CLUSTER + "/machinedeployments";
                EdgeDevices.sharesTheHostKernel(device);
                CommandResult provisioned = EdgeDevices.provisionByHand(seed, machines, device);
                if (provisioned.exitCode() != 0) {
                    throw new IllegalStateException("provisioning failed: " + provisioned.stderr());
                }
                Clusters.awaitPhase(seed, machines + "/bench-1", "Ready", Duration.ofMinutes(4));

                Path kubeconfig = data.resolveSibling("bench.kubeconfig");
                Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, CLUSTER + "/kubeconfig").body());
                try (KubernetesClient tenant = TenantClient.of(kubeconfig)) {
                    measure(seed, new WorkloadApi(seed, "bench", "bench"), tenant, device, hello, binaries, machines, runs, reconnectRuns);
                }
                seed.delete(ADMIN_TOKEN, CLUSTER);
                Clusters.awaitGone(seed, CLUSTER, Duration.ofMinutes(1));
            }
        } finally {
            Clusters.killComponentsOf(data);
            TestBedRun.current().close();
        }
    }

    private static void measure(SeedManagerInstance seed, WorkloadApi api, KubernetesClient tenant, Device device, String hello,
                                KubernetesBinaries binaries, String machines, int runs, int reconnectRuns) throws Exception {
        require(api.registerApp("hello", "1", hello, null), 201);
        // Warm-up: the image lands on the node, and the first-use costs (namespace, caches) are paid.
        deployAndWait(api, "warm-up", device.name());
        undeployAndWait(api, tenant, "warm-up");

        List<Long> present = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            present.add(deployAndWait(api, "present-" + i, device.name()));
            undeployAndWait(api, tenant, "present-" + i);
        }

        List<Long> pulled = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            removeImages(device, "hello-http");
            pulled.add(deployAndWait(api, "pulled-" + i, device.name()));
            undeployAndWait(api, tenant, "pulled-" + i);
        }

        List<Long> reconnected = new ArrayList<>();
        List<Long> nodeReadyAgain = new ArrayList<>();
        for (int i = 0; i < reconnectRuns; i++) {
            String name = "reconnect-" + i;
            device.cutOff();
            Clusters.awaitPhase(seed, machines + "/bench-1", "NotReady", Duration.ofMinutes(2));
            require(api.deploy(name, "hello", "1", List.of(device.name()), "bench", false, true), 202);
            api.awaitState(name, "pending_deploy", Duration.ofSeconds(30));
            device.reconnect();
            long started = System.nanoTime();
            // The node's readiness is timed beside, not before: the device agent's return is the signal now.
            CompletableFuture<Long> nodeReady = CompletableFuture.supplyAsync(() -> {
                try {
                    return awaitNodeReady(tenant, device.name(), started);
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IllegalStateException(e);
                }
            });
            api.awaitState(name, "running", SETTLE);
            reconnected.add(millisSince(started));
            nodeReadyAgain.add(nodeReady.join());
            undeployAndWait(api, tenant, name);
        }

        System.out.printf("%nEdgeplane workloads, one kubelet-only test-bed device, Kubernetes %s%n", binaries.versions().kubernetes());
        System.out.printf("machine: %d cores, %d MiB memory%n", Runtime.getRuntime().availableProcessors(), memTotalMib());
        System.out.printf("deploy to running, image on the node, median of %d: %d ms (target <= 3000 ms)  %s%n",
                runs, median(present), present);
        System.out.printf("deploy to running, pulled from the local registry, median of %d: %d ms (target <= 5000 ms)  %s%n",
                runs, median(pulled), pulled);
        System.out.printf("reconnect to the pending deploy running, median of %d: %d ms  %s%n",
                reconnectRuns, median(reconnected), reconnected);
        System.out.printf("  the kubelet reported the node Ready again (its status interval) after, median: %d ms  %s%n",
                median(nodeReadyAgain), nodeReadyAgain);
    }

    /** Milliseconds from {@code started} until the tenant cluster sees the node Ready. */
    private static long awaitNodeReady(KubernetesClient tenant, String node, long started) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            var current = tenant.nodes().withName(node).get();
            if (current != null && current.getStatus().getConditions().stream()
                    .anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus()))) {
                return millisSince(started);
            }
            Thread.sleep(100);
        }
        throw new IllegalStateException("node " + node + " not Ready again within " + SETTLE);
    }

    /** Milliseconds from the deploy API call to the workload reported running. */
    private static long deployAndWait(WorkloadApi api, String name, String node) throws InterruptedException {
        long started = System.nanoTime();
        require(api.deploy(name, "hello", "1", List.of(node), "bench", false, true), 202);
        api.awaitState(name, "running", SETTLE);
        return millisSince(started);
    }

    /** Undeploys and waits until the workload and its pods are gone, so the next run starts clean. */
    private static void undeployAndWait(WorkloadApi api, KubernetesClient tenant, String name) throws InterruptedException {
        require(api.undeploy(name), 202);
        api.awaitGone(name, SETTLE);
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (!WorkloadE2E.workloadPods(tenant, name).isEmpty()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("pods of undeployed workload " + name + " still there after " + SETTLE);
            }
            Thread.sleep(200);
        }
    }

    /**
     * Removes every image whose reference contains {@code pattern} from the device's containerd,
     * content included: CRI keeps a tag, a digest and an id reference per image, all pointing at the
     * same manifest, so all of them go.
     */
    private static void removeImages(Device device, String pattern) {
        device.exec(List.of("bash", "-c", REMOVE_IMAGES, "remove-images", pattern), Map.of(), Duration.ofMinutes(1)).orThrow();
    }


    private static void require(Reply reply, int status) {
        if (reply.status() != status) {
            throw new IllegalStateException("expected " + status + ", got " + reply);
        }
    }

    private static long memTotalMib() {
        try {
            return Files.readAllLines(Path.of("/proc/meminfo")).stream().filter(l -> l.startsWith("MemTotal:"))
                    .map(l -> Long.parseLong(l.replaceAll("[^0-9]", "")) / 1024).findFirst().orElse(0L);
        } catch (java.io.IOException e) {
            return 0;
        }
    }

    private static long median(List<Long> values) {
        if (values.isEmpty()) {
            return 0;
        }
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2) : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
