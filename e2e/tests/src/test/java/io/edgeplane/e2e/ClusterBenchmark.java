package io.edgeplane.e2e;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.MemorySampler;
import io.edgeplane.testbed.TestBedRun;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;

/**
 * Tenant clusters on the process runtime, through the admin API (not a test; run on demand):
 * <pre>
 * mvn -B -q -pl e2e/tests -am install -DskipTests
 * mvn -B -q -pl e2e/tests exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.edgeplane.e2e.ClusterBenchmark
 * </pre>
 * Prints the median create-to-Running time of one cluster ({@code EDGEPLANE_BENCH_RUNS}, default 5),
 * of 10 clusters created at once, and the resident memory of one idle control plane after
 * {@code EDGEPLANE_BENCH_IDLE_SECONDS} (default 300).
 */
public final class ClusterBenchmark {
    private static final String CLUSTERS = "/api/v1/projects/bench/clusters";

    private ClusterBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        int runs = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_RUNS", "5"));
        int idleSeconds = Integer.parseInt(System.getenv().getOrDefault("EDGEPLANE_BENCH_IDLE_SECONDS", "300"));
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        Path data = Files.createTempDirectory("edgeplane-bench-");
        try (SeedManagerInstance seed = SeedManagerInstance.start(data.resolve("data"),
                Map.of("edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()))) {
            seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"bench\"}");

            List<Long> single = new ArrayList<>();
            for (int i = 0; i < runs; i++) {
                single.add(createAndWait(seed, List.of("single-" + i)));
                deleteAll(seed, List.of("single-" + i));
            }

            List<String> ten = new ArrayList<>();
            for (int i = 0; i < 10; i++) {
                ten.add("burst-" + i);
            }
            long burst = createAndWait(seed, ten);
            deleteAll(seed, ten);

            createAndWait(seed, List.of("idle"));
            Thread.sleep(Duration.ofSeconds(idleSeconds).toMillis());
            long idleKib = ProcessHandle.allProcesses()
                    .filter(p -> TestBedRun.commandLine(p.pid()).contains(data.toString()) && !TestBedRun.commandLine(p.pid()).contains("postgres"))
                    .mapToLong(p -> MemorySampler.rssKib(p.pid())).sum();
            deleteAll(seed, List.of("idle"));

            System.out.printf("%nEdgeplane tenant clusters, process runtime, %d cores%n", Runtime.getRuntime().availableProcessors());
            System.out.printf("one cluster, create to Running, median of %d: %d ms  %s%n", runs, median(single), single);
            System.out.printf("10 clusters created at once, until all Running: %d ms%n", burst);
            System.out.printf("one idle control plane (etcd, apiserver, controller-manager, scheduler) after %d s: %d MiB RSS%n",
                    idleSeconds, idleKib / 1024);
        }
        String clusters = data.resolve("data/clusters").toString();
        ProcessHandle.allProcesses().filter(p -> TestBedRun.commandLine(p.pid()).contains(clusters)).forEach(ProcessHandle::destroyForcibly);
        TestBedRun.current().close();
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
