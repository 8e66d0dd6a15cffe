package io.edgeplane.testbed;

import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.DeviceNode;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Figures of the test bed, as medians over several runs (not a test; run on demand):
 * <pre>
 * mvn -B -q -pl e2e/testbed -am install -DskipTests
 * mvn -B -q -pl e2e/testbed exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.edgeplane.testbed.TestBedBenchmark
 * </pre>
 * Runs: {@code EDGEPLANE_BENCH_RUNS} (default 5).
 */
public final class TestBedBenchmark {
    private TestBedBenchmark() {
    }

    public static void main(String[] args) {
        int runs = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_RUNS", "5"));
        TestBedHost.ensurePackages();
        long started = System.nanoTime();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        long binariesMillis = (System.nanoTime() - started) / 1_000_000;

        List<Long> apiServer = new ArrayList<>();
        for (int i = 0; i < runs; i++) {
            try (ApiServer server = ApiServer.start(binaries)) {
                apiServer.add(server.startTime().toMillis());
            }
        }

        String host = TestNetwork.current().hostAddress();
        List<Long> deviceCreate = new ArrayList<>();
        List<Long> deviceJoin = new ArrayList<>();
        long peakMiB;
        try (MemorySampler memory = new MemorySampler(MemorySampler.ofRun(TestBedRun.current()));
             LocalRegistry registry = LocalRegistry.start(host);
             ControlPlane controlPlane = ControlPlane.start(binaries, host, Duration.ofSeconds(40))) {
            String pause = TestImages.pause(registry);
            try (Device seedMachine = Device.create("seed");
                 NodeAgent seed = NodeAgent.start(new DeviceNode(seedMachine), binaries, controlPlane, "10.244.0.0/24", "cni0",
                         pause, registry.hostPort())) {
                seed.awaitReady(controlPlane.client(), "True", Duration.ofSeconds(120));
                for (int i = 0; i < runs; i++) {
                    long t0 = System.nanoTime();
                    try (Device device = Device.create("bench-" + i)) {
                        long t1 = System.nanoTime();
                        NodeAgent node = NodeAgent.start(new DeviceNode(device), binaries, controlPlane, "10.244." + (i + 1) + ".0/24",
                                "cni0", pause, registry.hostPort());
                        node.awaitReady(controlPlane.client(), "True", Duration.ofSeconds(120));
                        deviceCreate.add((t1 - t0) / 1_000_000);
                        deviceJoin.add((System.nanoTime() - t1) / 1_000_000);
                        if (i == runs - 1) {
                            // the peak below covers control plane + seed node + two joined devices
                            try (Device second = Device.create("bench-extra")) {
                                NodeAgent other = NodeAgent.start(new DeviceNode(second), binaries, controlPlane, "10.244.200.0/24",
                                        "cni0", pause, registry.hostPort());
                                other.awaitReady(controlPlane.client(), "True", Duration.ofSeconds(120));
                                ApiServer.sleep(15_000);
                                other.close();
                            }
                        }
                        node.close();
                    }
                    controlPlane.client().nodes().withName("bench-" + i).delete();
                }
            }
            peakMiB = memory.peakMiB();
        }
        System.out.printf("%nEdgeplane test bed on %d cores, %d runs each%n", Runtime.getRuntime().availableProcessors(), runs);
        System.out.printf("binaries ready (cached run of fetch-binaries.sh): %d ms%n", binariesMillis);
        System.out.printf("kube-apiserver + etcd start, median: %d ms  %s%n", median(apiServer), apiServer);
        System.out.printf("device sandbox create (netns, mounts, sshd up), median: %d ms  %s%n", median(deviceCreate), deviceCreate);
        System.out.printf("device join (containerd + kubelet start to node Ready), median: %d ms  %s%n", median(deviceJoin), deviceJoin);
        System.out.printf("peak RSS of control plane + seed node + two devices: %d MiB%n", peakMiB);
        TestBedRun.current().close();
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        int n = sorted.size();
        return n % 2 == 1 ? sorted.get(n / 2) : (sorted.get(n / 2 - 1) + sorted.get(n / 2)) / 2;
    }
}
