package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubeBenchBinary;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.SeedCluster;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.TestBedRun;
import io.edgeplane.testbed.ToolRun;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.api.model.Pod;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CIS Kubernetes Benchmark (kube-bench, {@code --benchmark cis-1.11 --targets master}) against one tenant control
 * plane of each runtime, created through the admin API as a user would, in a datacenter that enforces audit logging
 * (CIS 1.2.16-1.2.19 ask for it; it is the datacenter's choice). The audits read this cluster's own processes and
 * files (resources {@code kube-bench/<runtime>/}: several apiservers may run on a test host). Every check
 * kube-bench evaluates automatically passes, but those listed with their reasons in
 * {@code kube-bench/<runtime>/not-applicable.yaml}. Checks the benchmark itself calls manual ({@code type: manual},
 * or "(Manual)" in their title: a judgement, not a rule) are printed with their status, not asserted.
 */
class KubeBenchE2E {
    private static final String RESOURCES = "kube-bench/";
    private static final List<String> CONFIG_FILES = List.of("cfg/config.yaml", "cfg/cis-1.11/config.yaml", "cfg/cis-1.11/master.yaml");
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    /** Control-plane processes outlive the seed manager on purpose; a failed test must not leave them running. */
    @AfterEach
    void killLeftoverComponents() {
        Clusters.killComponentsOf(dir.resolve("data"));
    }

    @Test
    void aProcessRuntimeControlPlanePassesEveryApplicableCisCheck() throws Exception {
        KubeBenchBinary kubeBench = KubeBenchBinary.ensure();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        Path data = dir.resolve("data");
        try (SeedManagerInstance seed = SeedManagerInstance.start(data,
                Map.of("edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()))) {
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
            String clusters = "/api/v1/projects/acme/clusters";
            Reply created = seed.post(ADMIN_TOKEN, clusters, "{\"name\":\"bench\",\"datacenter\":\"factory-bremen\"}");
            assertThat(created.status()).as(created.toString()).isEqualTo(202);
            Clusters.awaitPhase(seed, clusters + "/bench", "Running", Duration.ofSeconds(120));
            Path kubeconfig = dir.resolve("bench.kubeconfig");
            Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, clusters + "/bench/kubeconfig").body());
            List<Path> clusterDirs;
            try (Stream<Path> entries = Files.list(data.resolve("clusters"))) {
                clusterDirs = entries.toList();
            }
            assertThat(clusterDirs).as("one cluster directory").hasSize(1);
            Path clusterDir = clusterDirs.get(0);

            assertBaseline("process", Map.of("EDGEPLANE_CLUSTER_DIR", clusterDir.toString()), kubeconfig, kubeBench, binaries);
        }
    }

    @Test
    void aPodsRuntimeControlPlanePassesEveryApplicableCisCheck() throws Exception {
        TestBedHost.ensurePackages();
        KubeBenchBinary kubeBench = KubeBenchBinary.ensure();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        try (LocalRegistry registry = LocalRegistry.start(host);
             SeedCluster seedCluster = SeedCluster.start(binaries, registry, host, 2)) {
            Path data = dir.resolve("data");
            // Datacenter lab, here with audit logging enforced as for the process runtime's cluster.
            Files.writeString(SeedManagerInstance.exampleSeed(data),
                    EdgeDevices.seed(seedCluster.nodeAddress(), registry.hostPort(), TestImages.pause(registry))
                            .replace("edge: {}", "edge: {}\n        enforceAuditLogging: true"));
            Map<String, Object> config = new HashMap<>(PodsRuntimeSeed.configure(data, seedCluster, registry, binaries));
            config.put("edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString());
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, config)) {
                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
                String clusters = "/api/v1/projects/acme/clusters";
                Reply created = seed.post(ADMIN_TOKEN, clusters, "{\"name\":\"bench\",\"datacenter\":\"lab\"}");
                assertThat(created.status()).as(created.toString()).isEqualTo(202);
                Clusters.awaitPhase(seed, clusters + "/bench", "Running", Duration.ofMinutes(5));
                Path kubeconfig = dir.resolve("bench.kubeconfig");
                Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, clusters + "/bench/kubeconfig").body());
                // Each component's process on this host, found through its pod's cgroup: the audits read its command
                // line and, through /proc/<pid>/root, the files its container sees.
                Map<String, String> env = new HashMap<>();
                Map<String, String> components = Map.of("kube-apiserver", "APISERVER", "kube-controller-manager", "CONTROLLER_MANAGER",
                        "kube-scheduler", "SCHEDULER", "etcd", "ETCD");
                for (Pod pod : seedCluster.client().pods().inNamespace("cluster-acme-bench").list().getItems()) {
                    String uid = pod.getMetadata().getUid();
                    components.forEach((binary, name) -> processIn(uid, binary).ifPresent(pid -> env.put("EDGEPLANE_" + name + "_PID", pid.toString())));
                }
                assertThat(env).as("a process of each component").hasSize(components.size());
                assertBaseline("pods", env, kubeconfig, kubeBench, binaries);
            }
        }
    }

    /** The process running {@code binary} in the pod with {@code uid} (its cgroup path names the pod), if any. */
    private static Optional<Long> processIn(String uid, String binary) {
        return ProcessHandle.allProcesses().map(ProcessHandle::pid).filter(pid -> {
            String[] argv = TestBedRun.commandLine(pid).split(" ", 2);
            if (!argv[0].equals(binary) && !argv[0].endsWith("/" + binary)) {
                return false;
            }
            try {
                String cgroup = Files.readString(Path.of("/proc", pid.toString(), "cgroup"));
                return cgroup.contains(uid) || cgroup.contains(uid.replace('-', '_'));
            } catch (IOException e) {
                return false; // gone meanwhile
            }
        }).findFirst();
    }

    /**
     * Runs kube-bench with the runtime's checked-in configuration ({@code kube-bench/<runtime>/}) and {@code env} for its
     * audits, and asserts that every check it evaluates passes but those in the runtime's not-applicable list.
     */
    private void assertBaseline(String runtime, Map<String, String> env, Path kubeconfig, KubeBenchBinary kubeBench,
                                KubernetesBinaries binaries) throws IOException {
        Map<String, String> notApplicable = notApplicable(runtime);
        Path cfg = extractConfig(runtime, dir.resolve("kube-bench"));
        // kube-bench asks kubectl (on PATH, with KUBECONFIG) for the platform; the tenant's answers, not the
        // host's. Without a kubectl it would search the whole filesystem for a kubelet.
        Map<String, String> environment = new HashMap<>(env);
        environment.put("KUBECONFIG", kubeconfig.toString());
        environment.put("PATH", binaries.dir() + ":/usr/sbin:/usr/bin:/sbin:/bin");
        ToolRun run = kubeBench.run(environment,
                "run", "--targets", "master", "--benchmark", "cis-1.11", "--json", "--config-dir", cfg.toString());
        Files.writeString(dir.resolve("kube-bench.json"), run.stdout());
        List<JsonNode> results = results(JSON.readTree(run.stdoutIfSucceeded()));
        System.out.printf("e2e: kube-bench cis-1.11 master on a %s-runtime cluster: %s%n", runtime, summary(results));

        List<String> ids = results.stream().map(r -> r.path("test_number").asText()).toList();
        assertThat(ids).as("every check of the benchmark ran").contains("1.1.1", "1.2.1", "1.3.1", "1.4.2");
        assertThat(ids).as("not-applicable.yaml names only checks of the benchmark").containsAll(notApplicable.keySet());
        List<String> failures = new ArrayList<>();
        Map<String, String> shownOutputs = new LinkedHashMap<>();
        for (JsonNode result : results) {
            String id = result.path("test_number").asText();
            boolean manual = List.of("manual", "skip").contains(result.path("type").asText())
                    || result.path("test_desc").asText().endsWith("(Manual)");
            boolean passed = "PASS".equals(result.path("status").asText());
            if (manual && !passed) {
                System.out.printf("e2e: kube-bench %s (manual, not asserted) %s: %s%n", id, result.path("status").asText(),
                        result.path("test_desc").asText());
            } else if (!manual && !notApplicable.containsKey(id) && !passed) {
                failures.add(describe(result, shownOutputs));
            }
        }
        if (!failures.isEmpty()) {
            // Not through AssertJ's message formatting: audits contain printf directives (stat -c "%a %n").
            throw new AssertionError(failures.size() + " automated CIS checks do not pass on the " + runtime + " runtime ("
                    + runtime + "/not-applicable.yaml lists " + notApplicable.keySet() + "):\n" + String.join("\n", failures));
        }
    }

    /** Check id to the reason it does not apply to this runtime, from the checked-in list. */
    private static Map<String, String> notApplicable(String runtime) throws IOException {
        try (InputStream in = resource(runtime + "/not-applicable.yaml")) {
            JsonNode list = new ObjectMapper(new YAMLFactory()).readTree(in);
            Map<String, String> reasons = new LinkedHashMap<>();
            list.fields().forEachRemaining(e -> {
                assertThat(e.getValue().asText()).as("reason of " + e.getKey()).isNotBlank();
                reasons.put(e.getKey(), e.getValue().asText());
            });
            return reasons;
        }
    }

    private static Path extractConfig(String runtime, Path target) {
        for (String file : CONFIG_FILES) {
            Path out = target.resolve(file);
            try (InputStream in = resource(runtime + "/" + file)) {
                Files.createDirectories(out.getParent());
                Files.copy(in, out);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return target.resolve("cfg");
    }

    private static InputStream resource(String name) {
        InputStream in = KubeBenchE2E.class.getClassLoader().getResourceAsStream(RESOURCES + name);
        if (in == null) {
            throw new IllegalStateException("no test resource " + RESOURCES + name);
        }
        return in;
    }

    /** Every check result in kube-bench's JSON report ({@code Controls[].tests[].results[]}). */
    private static List<JsonNode> results(JsonNode report) {
        List<JsonNode> results = new ArrayList<>();
        report.path("Controls").forEach(controls -> controls.path("tests").forEach(group -> group.path("results").forEach(results::add)));
        assertThat(results).as("check results in kube-bench's report").isNotEmpty();
        return results;
    }

    private static String summary(List<JsonNode> results) {
        return results.stream().collect(Collectors.groupingBy(r -> r.path("status").asText(), TreeMap::new, Collectors.counting()))
                .toString();
    }

    /** One failed check: id, state, text, audit, its output (a command line shown once, then referred to) and what was expected. */
    private static String describe(JsonNode result, Map<String, String> shownOutputs) {
        String id = result.path("test_number").asText();
        String output = result.path("actual_value").asText().strip();
        String earlier = shownOutputs.putIfAbsent(output, id);
        return String.format("  %s %s: %s%n    audit: %s%n    audit output: %s%n    expected: %s%s",
                id, result.path("status").asText(), result.path("test_desc").asText(),
                result.path("audit").asText().strip().replace("\n", "\n           "),
                earlier != null && output.length() > 80 ? "(as for " + earlier + ")" : output.replace("\n", "\n           "),
                result.path("expected_result").asText(),
                result.path("reason").asText().isBlank() ? "" : "\n    reason: " + result.path("reason").asText().strip());
    }
}
