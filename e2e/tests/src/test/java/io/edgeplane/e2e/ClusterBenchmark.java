package io.edgeplane.e2e;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.SeedCluster;
import io.edgeplane.testbed.TestBedRun;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;

/**
 * Tenant clusters through the admin API (not a test; run on demand), on the process runtime or,
 * with {@code EDGEPLANE_BENCH_RUNTIME=pods}, as pods on the test bed's seed cluster:
 * <pre>
 * mvn -B -q -pl e2e/tests -am install -DskipTests
 * mvn -B -q -pl e2e/tests exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.edgeplane.e2e.ClusterBenchmark
 * </pre>
 * Prints the median create-to-Running time of one cluster ({@code EDGEPLANE_BENCH_RUNS}, default 5),
 * the time until {@code EDGEPLANE_BENCH_BURST} (default 10) clusters created at once are all Running,
 * and the resident memory of each of two idle control planes after
 * {@code EDGEPLANE_BENCH_IDLE_SECONDS} (default 300).
 */
public final class ClusterBenchmark {
    private static final String CLUSTERS = "/api/v1/projects/bench/clusters";

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_RUNS", "5"));
        int idleSeconds = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_IDLE_SECONDS", "300"));
        String runtime = System.getenv().getOrDefault("EDGEPLANE_BENCH_RUNTIME", "process");
        int burst = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_BURST", "10"));
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        Path data = Files.createTempDirectory("edgeplane-bench-").resolve("data");
        try {
            if (runtime.equals("pods")) {
                String host = TestNetwork.current().hostAddress();
                try (LocalRegistry registry = LocalRegistry.start(host);
                     SeedCluster seedCluster = SeedCluster.start(binaries, registry, host, runs + burst + 2)) {
                    Map<String, Object> config = PodsRuntimeSeed.configure(data, seedCluster, registry, binaries);
                    measure(runtime, runs, burst, idleSeconds, data, config, () -> memoryOfPods(seedCluster.client()));
                }
            } else {
                measure(runtime, runs, burst, idleSeconds, data,
                        Map.of("edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()),
                        () -> memoryPerCluster(data.resolve("clusters").toString()));
            }
        } finally {
            String clusters = data.resolve("clusters").toString();
            ProcessHandle.allProcesses().filter(p -> TestBedRun.commandLine(p.pid()).contains(clusters)).forEach(ProcessHandle::destroyForcibly);
            TestBedRun.current().close();
        }
    }

    private static void measure(String runtime, int runs, int burst, int idleSeconds, Path data, Map<String, Object> config,
                                Supplier<Map<String, long[]>> memory) throws InterruptedException {
        try (SeedManagerInstance seed = SeedManagerInstance.start(data, config)) {
            seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"bench\"}");

            List<Long> single = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                single.add(createAndWait(seed, List.of("single-" + i)));
                deleteAll(seed, List.of("single-" + i));
            }

            List<String> many = new ArrayList<>();
            for (int i = 0; i < burst; i++) {
                many.add("burst-" + i);
            }
            long manyMillis = createAndWait(seed, many);
            deleteAll(seed, many);

            // Two idle clusters: the binaries' code pages are shared between them, so each one's
            // private (anonymous) memory is what another control plane costs.
            createAndWait(seed, List.of("idle-1", "idle-2"));
            Thread.sleep(Duration.ofSeconds(idleSeconds).toMillis());
            Map<String, long[]> perCluster = memory.get();
            deleteAll(seed, List.of("idle-1", "idle-2"));

            System.out.printf("%nEdgeplane tenant clusters, %s runtime, %d cores%n", runtime, Runtime.getRuntime().availableProcessors());
            System.out.printf("one cluster, create to Running, median of %d: %d ms  %s%n", runs, median(single), single);
            System.out.printf("%d clusters created at once, until all Running: %d ms%n", burst, manyMillis);
            perCluster.forEach((id, kib) -> System.out.printf(
                    "one idle control plane (etcd, apiserver, controller-manager, scheduler) after %d s: %d MiB RSS"
                            + " = %d MiB private + %d MiB binaries' code shared by every cluster of the version%n",
                    idleSeconds, kib[0] / 1024, kib[1] / 1024, kib[2] / 1024));
        }
    }

    /** Per namespace of a hosted control plane, the memory of the processes in its pods' cgroups. */
    private static Map<String, long[]> memoryOfPods(KubernetesClient client) {
        Map<String, String> namespaceOfPod = new java.util.HashMap<>();
        client.pods().inAnyNamespace().list().getItems().stream()
                .filter(p -> p.getMetadata().getNamespace().startsWith("cluster-"))
                .forEach(p -> namespaceOfPod.put(p.getMetadata().getUid().replace('-', '_'), p.getMetadata().getNamespace()));
        Map<String, long[]> result = new java.util.TreeMap<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String cgroups;
            try {
                cgroups = Files.readString(Path.of("/proc", Long.toString(p.pid()), "cgroup")).replace('-', '_');
            } catch (java.io.IOException gone) {
                return;
            }
            namespaceOfPod.forEach((uid, namespace) -> {
                if (cgroups.contains("pod" + uid) && !TestBedRun.commandLine(p.pid()).contains("/pause")) {
                    add(result.computeIfAbsent(namespace, n -> new long[3]), statusKib(p.pid(), "VmRSS", "RssAnon", "RssFile"));
                }
            });
        });
        return result;
    }

    private static void add(long[] sums, long[] values) {
        for (int i = 0; i < sums.length; i++) {
            sums[i] += values[i];
        }
    }

    /** Cluster id to {RSS, anonymous RSS, file-backed RSS} in KiB, summed over its component processes. */
    private static Map<String, long[]> memoryPerCluster(String clustersDir) {
        Map<String, long[]> result = new java.util.TreeMap<>();
        java.util.regex.Pattern idPattern = java.util.regex.Pattern.compile(java.util.regex.Pattern.quote(clustersDir) + "/([a-z0-9]+)/");
        ProcessHandle.allProcesses().forEach(p -> {
            java.util.regex.Matcher m = idPattern.matcher(TestBedRun.commandLine(p.pid()));
            if (m.find()) {
                add(result.computeIfAbsent(m.group(1), id -> new long[3]), statusKib(p.pid(), "VmRSS", "RssAnon", "RssFile"));
            }
        });
        return result;
    }

    private static long[] statusKib(long pid, String... fields) {
        long[] values = new long[fields.length];
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                for (int i = 0; i < fields.length; i++) {
                    if (line.startsWith(fields[i] + ":")) {
                        values[i] = Long.parseLong(line.replaceAll("[^0-9]", ""));
                    }
                }
            }
        } catch (java.io.IOException gone) {
            // the process ended meanwhile
        }
        return values;
    }

    private static long createAndWait(SeedManagerInstance seed, List<String> names) throws InterruptedException {
        long started = System.nanoTime();
        for (String name : names) {
            seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"" + name + "\",\"datacenter\":\"store-hamburg-01\"}");
        }
        for (String name : names) {
            while (!"Running".equals(seed.get(ADMIN_TOKEN, CLUSTERS + "/" + name).json().path("phase").asText())) {
                if (System.nanoTime() - started > Duration.ofMinutes(10).toNanos()) {
                    throw new IllegalStateException(name + " not Running after 10 minutes");
                }
                Thread.sleep(100);
            }
        }
        return (System.nanoTime() - started) / 1_000_000;
    }

    private static void deleteAll(SeedManagerInstance seed, List<String> names) throws InterruptedException {
        names.forEach(n -> seed.delete(ADMIN_TOKEN, CLUSTERS + "/" + n));
        for (String name : names) {
            while (seed.get(ADMIN_TOKEN, CLUSTERS + "/" + name).status() != 404) {
                Thread.sleep(200);
            }
        }
    }

    private static long median(List<Long> values) {
        List<Long> sorted = values.stream().sorted().toList();
        return sorted.size() % 2 == 1 ? sorted.get(sorted.size() / 2) : (sorted.get(sorted.size() / 2 - 1) + sorted.get(sorted.size() / 2)) / 2;
    }


}
