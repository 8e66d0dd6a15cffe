package io.edgeplane.e2e.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * The campaign's rounds, in order, against one seed manager that is killed and restarted within
 * them (see {@link FleetCampaign}). The operator side retries what went unanswered
 * ({@link OperatorLedger}); every wait tolerates a seed manager that is down.
 */
final class CampaignRun {
    private static final String PROJECT = FleetWorkloads.PROJECT;
    private static final int DEVICES_PER_WORKLOAD = 50;
    private static final Duration CONVERGE = Duration.ofMinutes(10);

    private final FleetSettings settings;
    private final int deviceCount;
    private final Random random;
    private final Path dir;
    private final Map<String, Set<String>> clusters = new LinkedHashMap<>();
    private final Set<String> deleted = new TreeSet<>();
    private final Map<String, KubernetesClient> tenants = new LinkedHashMap<>();
    private final List<CampaignRound> rounds = new ArrayList<>();
    private SeedManagerProcess seed;
    private FleetApi api;
    private OperatorLedger operator;

    CampaignRun(FleetSettings settings, int deviceCount, long randomSeed, Path dir) {
        this.settings = settings;
        this.deviceCount = deviceCount;
        this.random = new Random(randomSeed);
        this.dir = dir;
    }

    interface Action {
        void run() throws Exception;
    }

    interface Condition {
        boolean holds() throws Exception;
    }

    List<CampaignRound> run() throws Exception {
        Files.createDirectories(dir);
        try (SeedManagerProcess started = SeedManagerProcess.start(settings.jar(), dir, settings.kubernetesBinaries(), FleetRun.seedYaml(),
                settings.seedJavaOptions());
             SimulatedFleet fleet = new SimulatedFleet()) {
            seed = started;
            api = new FleetApi(seed.port(), SeedManagerProcess.ADMIN_TOKEN, new Latencies());
            operator = new OperatorLedger(api, seed.port());
            operator.create("/api/v1/projects", "{\"name\":\"fleet\"}");
            Map<String, List<String>> plan = plan();

            round("cluster creations", 3, Duration.ofSeconds(40), () -> {
                for (String cluster : plan.keySet()) {
                    operator.create(PROJECT + "/clusters", "{\"name\":\"" + cluster + "\",\"datacenter\":\"fleet\"}");
                    clusters.put(cluster, Set.of());
                }
            }, () -> running(plan.keySet()));
            for (String cluster : plan.keySet()) {
                Path kubeconfig = dir.resolve(cluster + ".kubeconfig");
                Files.writeString(kubeconfig, api.get(FleetWorkloads.clusterPath(cluster) + "/kubeconfig").expect(200).body());
                SimulatedCluster simulated = SimulatedCluster.start(cluster, settings.kwok(), kubeconfig, dir, Set.copyOf(plan.get(cluster)),
                        site(plan.get(cluster)), settings.nodeLease(), settings.heartbeat());
                fleet.add(simulated);
                tenants.put(cluster, simulated.client());
            }
            round("device registrations", 2, Duration.ofSeconds(20), () -> register(plan, fleet), () -> ready(plan, Set.of()));

            operator.create(PROJECT + "/apps", FleetWorkloads.app("1.0.0", "registry.example/fleet/beacon:1"));
            operator.create(PROJECT + "/apps", FleetWorkloads.app("1.1.0", "registry.example/fleet/beacon:2"));
            Map<String, List<String>> workloads = FleetWorkloads.split(plan, DEVICES_PER_WORKLOAD);
            round("fleet-wide deploy", 3, Duration.ofSeconds(20), () -> deploy(workloads, "1.0.0", false),
                    () -> workloadsAre(workloads, "1.0.0", "running"));
            round("fleet-wide staged update", 2, Duration.ofSeconds(20), () -> deploy(workloads, "1.1.0", true),
                    () -> workloadsAre(workloads, "1.1.0", "running"));
            round("fleet-wide stop", 2, Duration.ofSeconds(10), () -> operate(workloads, "stop"),
                    () -> workloadsAre(workloads, "1.1.0", "stopped"));
            round("fleet-wide start", 2, Duration.ofSeconds(10), () -> operate(workloads, "start"),
                    () -> workloadsAre(workloads, "1.1.0", "running"));
            for (String extra : List.of("camp-x1", "camp-x2")) {
                round("cluster creation " + extra, 1, Duration.ofSeconds(30), () -> {
                    operator.create(PROJECT + "/clusters", "{\"name\":\"" + extra + "\",\"datacenter\":\"fleet\"}");
                    clusters.put(extra, Set.of());
                }, () -> running(Set.of(extra)));
                round("cluster deletion " + extra, 1, Duration.ofSeconds(8), () -> {
                    operator.delete(FleetWorkloads.clusterPath(extra), 200, 202, 204);
                    clusters.remove(extra);
                    deleted.add(extra);
                }, () -> gone(FleetWorkloads.clusterPath(extra)));
            }
            round("fleet-wide undeploy", 2, Duration.ofSeconds(10), () -> undeploy(workloads), () -> undeployed(workloads));
            round("fleet-wide deploy again", 2, Duration.ofSeconds(20), () -> deploy(workloads, "1.0.0", false),
                    () -> workloadsAre(workloads, "1.0.0", "running"));
            Set<String> site = new TreeSet<>();
            plan.values().forEach(names -> site.addAll(site(names)));
            new CampaignOutages(this).run(workloads, fleet, site);
            round("fleet-wide undeploy, the last", 0, Duration.ZERO, () -> undeploy(workloads), () -> undeployed(workloads));
        }
        return rounds;
    }

    /** The campaign's two clusters and their devices. */
    private Map<String, List<String>> plan() {
        Map<String, List<String>> plan = new LinkedHashMap<>();
        for (int d = 0; d < deviceCount; d++) {
            plan.computeIfAbsent("camp-" + (d % 2 + 1), c -> new ArrayList<>()).add(String.format("camp-%d-dev-%04d", d % 2 + 1, d / 2));
        }
        return plan;
    }

    /** Every fifth device of a cluster: the site whose uplink the campaign cuts. */
    private static Set<String> site(List<String> devices) {
        Set<String> site = new TreeSet<>();
        for (int i = 0; i < devices.size(); i += 5) {
            site.add(devices.get(i));
        }
        return site;
    }

    /**
     * Runs {@code action} while the seed manager is killed {@code kills} times at random moments up to {@code window} apart, waits
     * until {@code converged} holds after the last restart, then checks that nothing was duplicated or lost.
     */
    void round(String name, int kills, Duration window, Action action, Condition converged) throws Exception {
        round(name, kills, window, action, converged, new ArrayList<>());
    }

    void round(String name, int kills, Duration window, Action action, Condition converged, List<String> notes) throws Exception {
        long started = System.nanoTime();
        List<String> problems = new ArrayList<>();
        Crashes crashes = kills == 0 ? null : new Crashes(seed, kills, window, random);
        try {
            action.run();
            await(name, converged);
        } catch (Exception e) {
            problems.add("round failed: " + e.getMessage());
        } finally {
            if (crashes != null) {
                try {
                    crashes.close();
                } catch (Exception e) {
                    problems.add("restart failed: " + e.getMessage());
                }
            }
        }
        if (problems.isEmpty()) {
            try {
                await(name + " after the last restart", converged);
            } catch (RuntimeException e) {
                problems.add("round failed: " + e.getMessage());
            }
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        operator.awaitHealthy();
        problems.addAll(CampaignChecks.verify(seed, clusters, deleted, tenants, operator));
        CampaignRound round = new CampaignRound(name, crashes == null ? List.of() : crashes.killedAt(),
                crashes == null ? List.of() : crashes.restartSeconds(), seconds, problems, notes);
        rounds.add(round);
        System.out.println(round.line());
        problems.forEach(p -> System.out.println("    PROBLEM " + p));
    }

    SeedManagerProcess seed() {
        return seed;
    }

    FleetApi api() {
        return api;
    }

    OperatorLedger operator() {
        return operator;
    }

    Set<String> deleted() {
        return deleted;
    }

    private void register(Map<String, List<String>> plan, SimulatedFleet fleet) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<?>> posts = new ArrayList<>();
            plan.forEach((cluster, names) -> names.forEach(name -> posts.add(pool.submit(() -> operator.create(
                    FleetWorkloads.clusterPath(cluster) + "/machinedeployments", "{\"name\":\"" + name + "\",\"os\":\"ubuntu-22.04\",\"arch\":\"amd64\"}")))));
            for (Future<?> post : posts) {
                post.get();
            }
            plan.forEach((cluster, names) -> clusters.put(cluster, Set.copyOf(names)));
            for (SimulatedCluster cluster : fleet.clusters()) {
                cluster.registerNodes(plan.get(cluster.name()), pool);
                cluster.startAgents(Duration.ofMinutes(5));
            }
        } finally {
            pool.shutdownNow();
        }
    }

    void deploy(Map<String, List<String>> workloads, String version, boolean staged) throws Exception {
        for (Map.Entry<String, String> batch : FleetWorkloads.batches(workloads, version, staged).entrySet()) {
            operator.post(FleetWorkloads.clusterPath(batch.getKey()) + "/workloads", batch.getValue(), 201, 202);
        }
    }

    void operate(Map<String, List<String>> workloads, String operation) throws Exception {
        for (String key : workloads.keySet()) {
            operator.post(FleetWorkloads.path(key) + "/" + operation, "", 200, 202);
        }
    }

    private void undeploy(Map<String, List<String>> workloads) throws Exception {
        for (String key : workloads.keySet()) {
            operator.delete(FleetWorkloads.path(key), 200, 202, 204);
        }
    }

    private boolean running(Set<String> names) {
        List<JsonNode> listed = quietly(() -> api.list(PROJECT + "/clusters"));
        return listed != null && listed.stream().filter(c -> names.contains(c.path("name").asText()))
                .filter(c -> "Running".equals(c.path("phase").asText())).count() == names.size();
    }

    /** Every planned device {@code Ready}, but those in {@code except}. */
    boolean ready(Map<String, List<String>> plan, Set<String> except) {
        for (Map.Entry<String, List<String>> cluster : plan.entrySet()) {
            List<JsonNode> machines = quietly(() -> api.list(FleetWorkloads.clusterPath(cluster.getKey()) + "/machinedeployments"));
            if (machines == null || machines.stream().filter(m -> !except.contains(m.path("name").asText()))
                    .filter(m -> "Ready".equals(m.path("phase").asText())).count() != cluster.getValue().size() - except.stream()
                    .filter(cluster.getValue()::contains).count()) {
                return false;
            }
        }
        return true;
    }

    /** Every workload at {@code version} (staged one applied) and in {@code state}, and so every device of it. */
    boolean workloadsAre(Map<String, List<String>> workloads, String version, String state) {
        return workloadsAre(workloads, version, state, Set.of());
    }

    /** Every workload at {@code version}, and every device of it but those in {@code except} in {@code state}. */
    boolean workloadsAre(Map<String, List<String>> workloads, String version, String state, Set<String> except) {
        for (Map.Entry<String, List<String>> entry : workloads.entrySet()) {
            FleetApi.Reply reply = quietly(() -> api.get(FleetWorkloads.path(entry.getKey())));
            if (reply == null || reply.status() != 200) {
                return false;
            }
            JsonNode workload = reply.json();
            if (!version.equals(workload.path("version").asText()) || !(workload.path("staged").isMissingNode() || workload.path("staged").isNull())) {
                return false;
            }
            // The workload's own state once no device is left out: a staged update still applying refuses a stop (409).
            if (except.isEmpty() && !state.equals(workload.path("state").asText())) {
                return false;
            }
            Predicate<JsonNode> counted = n -> !except.contains(n.path("node").asText());
            long inState = 0;
            for (JsonNode node : workload.path("nodeStates")) {
                if (counted.test(node) && state.equals(node.path("state").asText())) {
                    inState++;
                }
            }
            if (inState != entry.getValue().stream().filter(n -> !except.contains(n)).count()) {
                return false;
            }
        }
        return true;
    }

    private boolean undeployed(Map<String, List<String>> workloads) {
        return workloads.keySet().stream().allMatch(key -> gone(FleetWorkloads.path(key)));
    }

    private boolean gone(String path) {
        FleetApi.Reply reply = quietly(() -> api.get(path));
        return reply != null && reply.status() == 404;
    }

    /** What {@code call} returns, or null while the seed manager is down or restarting. */
    static <T> T quietly(java.util.concurrent.Callable<T> call) {
        try {
            T value = call.call();
            return value instanceof FleetApi.Reply reply && reply.status() == 503 ? null : value;
        } catch (UncheckedIOException | IllegalStateException down) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    static void await(String what, Condition condition) throws Exception {
        long deadline = System.nanoTime() + CONVERGE.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("not converged within " + CONVERGE + ": " + what);
            }
            Thread.sleep(1000);
        }
    }
}
