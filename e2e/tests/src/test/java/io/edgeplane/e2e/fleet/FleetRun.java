package io.edgeplane.e2e.fleet;

import com.fasterxml.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.Predicate;

/**
 * One fleet size, start to end, driven only through the admin API: a fresh seed manager, its
 * clusters, the devices registered and Ready, an idle window, then a workload deployed to every
 * device, a staged update applied to all, a stop and a start, and an undeploy. Each phase's
 * figures go into {@link FleetFigures}.
 */
final class FleetRun {
    private static final String PROJECT = FleetWorkloads.PROJECT;
    /** The API takes at most 256 devices per workload: a fleet-wide deploy is several workloads of one app. */
    private static final int DEVICES_PER_WORKLOAD = 250;
    private static final Duration POLL = Duration.ofSeconds(1);

    private final FleetSettings settings;
    private final int size;
    private final Path dir;
    private final Latencies latencies = new Latencies();
    private final Map<String, Double> phaseSeconds = new LinkedHashMap<>();
    private final Map<String, Map<Latencies.Kind, Latencies.Summary>> phaseLatencies = new LinkedHashMap<>();
    private final Map<String, double[]> perDevice = new LinkedHashMap<>();
    private final Map<String, Double> phaseSeedCpu = new LinkedHashMap<>();
    private final Map<String, Double> maxLag = new LinkedHashMap<>();
    private Saturation saturation;

    FleetRun(FleetSettings settings, int size) {
        this.settings = settings;
        this.size = size;
        this.dir = settings.out().resolve("size-" + size);
    }

    FleetFigures run() throws Exception {
        int clusterCount = Math.max(1, (size + settings.devicesPerCluster() - 1) / settings.devicesPerCluster());
        Map<String, List<String>> devices = plan(clusterCount);
        Files.createDirectories(dir);
        System.out.printf("%n== %d devices over %d cluster(s) ==%n", size, clusterCount);
        try (RealDevice real = settings.realDevice() ? RealDevice.prepare() : null;
             SeedManagerProcess seed = SeedManagerProcess.start(settings.jar(), dir, settings.kubernetesBinaries(),
                     real == null ? seedYaml() : real.seedYaml(), settings.seedJavaOptions());
             SimulatedFleet fleet = new SimulatedFleet()) {
            String datacenter = real == null ? "fleet" : RealDevice.DATACENTER;
            FleetApi api = new FleetApi(seed.port(), SeedManagerProcess.ADMIN_TOKEN, latencies);
            api.post("/api/v1/projects", "{\"name\":\"fleet\"}").expect(201);
            phase("clusters", seed, () -> createClusters(api, devices.keySet(), datacenter));
            Map<String, long[]> before = seed.tableSizes();
            for (String cluster : devices.keySet()) {
                Path kubeconfig = dir.resolve(cluster + ".kubeconfig");
                Files.writeString(kubeconfig, api.get(PROJECT + "/clusters/" + cluster + "/kubeconfig").expect(200).body());
                fleet.add(SimulatedCluster.start(cluster, settings.kwok(), kubeconfig, dir, Set.copyOf(devices.get(cluster)), Set.of(),
                        settings.nodeLease(), settings.heartbeat()));
            }
            Map<String, List<String>> members = new LinkedHashMap<>();
            devices.forEach((cluster, names) -> members.put(cluster, new ArrayList<>(names)));
            phase("register", seed, () -> register(api, seed, fleet, devices, real, members));
            if (saturation != null) {
                return new FleetFigures(size, clusterCount, phaseSeconds, perDevice, phaseLatencies, phaseSeedCpu, maxLag, null, null, null,
                        null, fleet.writes(), fleet.failures(), saturation);
            }
            Thread.sleep(settings.settle().toMillis());
            IdleFigures idle = idle(seed, api, devices, fleet);
            // Twice the status writes for a second window: what they add is the cost of a write. One old period lets every agent switch.
            fleet.heartbeat(settings.heartbeat().dividedBy(2));
            Thread.sleep(settings.heartbeat().toMillis());
            IdleFigures idleFaster = idle(seed, api, devices, fleet);
            fleet.heartbeat(settings.heartbeat());
            double[] perWrite = idle.millisPerWrite(idleFaster);
            System.out.printf("per agent status write (%.0f -> %.0f writes/s): seed manager %.2f ms, PostgreSQL %.2f ms, control planes %.2f ms CPU%n",
                    idle.agentWritesPerSecond(), idleFaster.agentWritesPerSecond(), perWrite[0], perWrite[1], perWrite[2]);
            Map<String, long[]> after = seed.tableSizes();
            String image = real == null ? "registry.example/fleet/beacon:1" : real.image();
            registerApp(api, "1.0.0", image);
            registerApp(api, "1.1.0", image);
            Map<String, List<String>> workloads = FleetWorkloads.split(members, DEVICES_PER_WORKLOAD);
            phase("deploy", seed, () -> deploy(api, workloads, "1.0.0", false, "deploy"));
            Map<String, long[]> deployed = seed.tableSizes();
            phase("staged-update", seed, () -> deploy(api, workloads, "1.1.0", true, "staged-update"));
            phase("stop", seed, () -> operate(api, workloads, "stop", "stopped"));
            phase("start", seed, () -> operate(api, workloads, "start", "running"));
            phase("undeploy", seed, () -> undeploy(api, workloads));
            return new FleetFigures(size, clusterCount, phaseSeconds, perDevice, phaseLatencies, phaseSeedCpu, maxLag, idle,
                    idleFaster, TableCosts.of(before, after, size), TableCosts.of(after, deployed, size), fleet.writes(), fleet.failures(), null);
        }
    }

    private interface Phase {
        void run() throws Exception;
    }

    /** Runs one phase, timing it and cutting its API latencies, the seed manager's CPU and the longest reconcile lag seen. */
    private void phase(String name, SeedManagerProcess seed, Phase phase) throws Exception {
        latencies.cut();
        double cpu = seed.cpuSeconds();
        long started = System.nanoTime();
        LagWatch lag = new LagWatch(seed);
        OperatorLoad operator = new OperatorLoad(new FleetApi(seed.port(), SeedManagerProcess.ADMIN_TOKEN, latencies), PROJECT);
        try {
            phase.run();
        } finally {
            operator.close();
            lag.close();
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        phaseSeconds.put(name, seconds);
        phaseSeedCpu.put(name, seed.cpuSeconds() - cpu);
        phaseLatencies.put(name, latencies.cut());
        maxLag.put(name, lag.max());
        System.out.printf("%-14s %7.1f s  seed CPU %6.1f s  %s  lag max %.1f s%n", name, seconds, phaseSeedCpu.get(name),
                phaseLatencies.get(name), lag.max());
    }

    private Map<String, List<String>> plan(int clusterCount) {
        Map<String, List<String>> plan = new LinkedHashMap<>();
        for (int c = 0; c < clusterCount; c++) {
            plan.put("fleet-" + (c + 1), new ArrayList<>());
        }
        List<String> clusters = List.copyOf(plan.keySet());
        for (int d = 0; d < size; d++) {
            String cluster = clusters.get(d % clusterCount);
            plan.get(cluster).add(String.format("%s-dev-%05d", cluster, d / clusterCount));
        }
        return plan;
    }

    static String seedYaml() {
        return """
                apiVersion: edgeplane.io/v1alpha1
                kind: Seed
                metadata:
                  name: fleet-benchmark
                spec:
                  country: DE
                  location: Fleet benchmark
                  exposeStrategy: HostPort
                  externalAddress: 127.0.0.1
                  datacenters:
                    fleet:
                      country: DE
                      location: Simulated sites
                      spec:
                        edge: {}
                """;
    }

    private void createClusters(FleetApi api, Set<String> clusters, String datacenter) throws Exception {
        for (String cluster : clusters) {
            // Each device takes a /24 of the cluster's pod range: the default /16 holds 256, a /12 holds 4,096.
            api.post(PROJECT + "/clusters", "{\"name\":\"" + cluster + "\",\"datacenter\":\"" + datacenter + "\",\"podCidr\":\"10.128.0.0/12\"}")
                    .expect(201, 202);
        }
        await("clusters Running", Duration.ofMinutes(15), () -> api.list(PROJECT + "/clusters").stream()
                .filter(c -> "Running".equals(c.path("phase").asText())).count() == clusters.size());
    }

    /**
     * Every simulated device through the API as an operator registers it, then its node as its kubelet would; beside them the
     * real device, by its script, which then joins the first cluster's {@code members}. Until all are Ready, or, when that takes
     * longer than the settings allow, the size did not fit: where the CPU goes is measured as its {@link Saturation}.
     */
    private void register(FleetApi api, SeedManagerProcess seed, SimulatedFleet fleet, Map<String, List<String>> devices, RealDevice real,
                          Map<String, List<String>> members) throws Exception {
        long started = System.nanoTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        String firstCluster = devices.keySet().iterator().next();
        Future<String> provisioned = real == null ? null : Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "real-device");
            t.setDaemon(true);
            return t;
        }).submit(() -> real.provision(api, PROJECT + "/clusters/" + firstCluster + "/machinedeployments", firstCluster + "-real"));
        try {
            List<Future<?>> posts = new ArrayList<>();
            devices.forEach((cluster, names) -> names.forEach(name -> posts.add(pool.submit(() ->
                    api.post(PROJECT + "/clusters/" + cluster + "/machinedeployments",
                            "{\"name\":\"" + name + "\",\"os\":\"ubuntu-22.04\",\"arch\":\"amd64\"}").expect(201)))));
            for (Future<?> post : posts) {
                post.get();
            }
            System.out.printf("  registered %d devices through the API in %.1f s%n", size, (System.nanoTime() - started) / 1e9);
            for (SimulatedCluster cluster : fleet.clusters()) {
                cluster.registerNodes(devices.get(cluster.name()), pool);
            }
            for (SimulatedCluster cluster : fleet.clusters()) {
                cluster.startAgents(Duration.ofMinutes(5));
            }
        } finally {
            pool.shutdownNow();
        }
        if (provisioned != null) {
            members.get(firstCluster).add(0, provisioned.get());
        }
        int expected = size + (real == null ? 0 : 1);
        Map<String, Double> readyAt = new ConcurrentHashMap<>();
        boolean allReady = awaitUpTo(settings.readyWithin(), () -> {
            for (String cluster : devices.keySet()) {
                for (JsonNode machine : api.list(PROJECT + "/clusters/" + cluster + "/machinedeployments")) {
                    if ("Ready".equals(machine.path("phase").asText())) {
                        readyAt.putIfAbsent(machine.path("name").asText(), (System.nanoTime() - started) / 1e9);
                    }
                }
            }
            return readyAt.size() == expected;
        });
        perDevice.put("register", readyAt.values().stream().mapToDouble(Double::doubleValue).toArray());
        if (!allReady) {
            saturation = Saturation.measure(seed, readyAt.size(), expected, (System.nanoTime() - started) / 1e9, Duration.ofSeconds(30));
            System.out.println("  did not fit: " + saturation.describe());
            return;
        }
        if (real != null) {
            System.out.printf("  the real device %s was Ready after %.1f s%n", members.get(firstCluster).get(0),
                    readyAt.get(members.get(firstCluster).get(0)));
        }
    }

    /** The fleet left alone: what it costs the seed manager to keep watching it. */
    private IdleFigures idle(SeedManagerProcess seed, FleetApi api, Map<String, List<String>> devices, SimulatedFleet fleet) throws Exception {
        latencies.cut();
        long writes = fleet.writes();
        double cpu = seed.cpuSeconds();
        double postgresCpu = seed.postgresCpuSeconds();
        double controlPlaneCpu = seed.controlPlaneCpuSeconds();
        long started = System.nanoTime();
        List<Long> heap = new ArrayList<>();
        double lag = 0;
        String someCluster = devices.keySet().iterator().next();
        String someDevice = devices.get(someCluster).get(0);
        while (System.nanoTime() - started < settings.idle().toNanos()) {
            heap.add(seed.heapUsedBytes());
            lag = Math.max(lag, seed.reconcileLagSeconds().values().stream().mapToDouble(Double::doubleValue).max().orElse(0));
            // An operator looking at the fleet now and then.
            api.list(PROJECT + "/clusters/" + someCluster + "/machinedeployments");
            api.get(PROJECT + "/clusters/" + someCluster + "/machinedeployments/" + someDevice);
            Thread.sleep(10_000);
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        IdleFigures idle = new IdleFigures(seconds, (seed.cpuSeconds() - cpu) / seconds, (seed.postgresCpuSeconds() - postgresCpu) / seconds,
                (seed.controlPlaneCpuSeconds() - controlPlaneCpu) / seconds,
                heap.stream().mapToLong(Long::longValue).average().orElse(0), heap.stream().mapToLong(Long::longValue).max().orElse(0),
                seed.rssBytes(), seed.controlPlaneRssBytes(), lag, latencies.cut(), (fleet.writes() - writes) / seconds);
        System.out.printf("idle %.0f s: seed %.3f cores, heap mean %.0f MiB max %.0f MiB, RSS %.0f MiB; PostgreSQL %.3f cores;"
                        + " control planes %.3f cores, %.0f MiB; lag max %.1f s%n", seconds, idle.seedCores(), idle.heapMeanBytes() / 1048576.0,
                idle.heapMaxBytes() / 1048576.0, idle.seedRssBytes() / 1048576.0, idle.postgresCores(), idle.controlPlaneCores(),
                idle.controlPlaneRssBytes() / 1048576.0, lag);
        return idle;
    }

    private void registerApp(FleetApi api, String version, String image) {
        api.post(PROJECT + "/apps", FleetWorkloads.app(version, image)).expect(201);
    }

    /** One request per cluster with all its workloads; then until every device runs {@code version}. */
    private void deploy(FleetApi api, Map<String, List<String>> workloads, String version, boolean staged, String phase) throws Exception {
        long started = System.nanoTime();
        FleetWorkloads.batches(workloads, version, staged).forEach((cluster, body) ->
                api.post(FleetWorkloads.clusterPath(cluster) + "/workloads", body).expect(201, 202));
        awaitDevices(api, workloads, started, phase, w -> version.equals(w.path("version").asText()),
                w -> "running".equals(w.path("state").asText()) && (w.path("staged").isMissingNode() || w.path("staged").isNull()),
                "running");
    }

    private void operate(FleetApi api, Map<String, List<String>> workloads, String operation, String state) throws Exception {
        long started = System.nanoTime();
        workloads.keySet().forEach(key -> api.post(FleetWorkloads.path(key) + "/" + operation, "").expect(200, 202));
        awaitDevices(api, workloads, started, operation, w -> true, w -> state.equals(w.path("state").asText()), state);
    }

    private void undeploy(FleetApi api, Map<String, List<String>> workloads) throws Exception {
        workloads.keySet().forEach(key -> api.delete(FleetWorkloads.path(key)).expect(200, 202, 204));
        await("every workload gone", Duration.ofMinutes(20), () -> workloads.keySet().stream()
                .allMatch(key -> api.get(FleetWorkloads.path(key)).status() == 404));
    }

    /**
     * Polls each unfinished workload until {@code done}; a device counts from the first time its node state is {@code nodeState}
     * once the workload is {@code current} (an update's devices count only once the workload is at the new version).
     */
    private void awaitDevices(FleetApi api, Map<String, List<String>> workloads, long started, String phase, Predicate<JsonNode> current,
                              Predicate<JsonNode> done, String nodeState) throws Exception {
        Map<String, Double> doneAt = new HashMap<>();
        Set<String> open = new TreeSet<>(workloads.keySet());
        await(phase + " on every device", Duration.ofMinutes(30), () -> {
            for (String key : List.copyOf(open)) {
                JsonNode workload = api.get(FleetWorkloads.path(key)).expect(200).json();
                double now = (System.nanoTime() - started) / 1e9;
                for (JsonNode node : workload.path("nodeStates")) {
                    if (current.test(workload) && nodeState.equals(node.path("state").asText())) {
                        doneAt.putIfAbsent(key + "/" + node.path("node").asText(), now);
                    }
                }
                if (current.test(workload) && done.test(workload)) {
                    open.remove(key);
                }
            }
            return open.isEmpty();
        });
        perDevice.put(phase, doneAt.values().stream().mapToDouble(Double::doubleValue).toArray());
    }

    private interface Condition {
        boolean holds() throws Exception;
    }

    private static void await(String what, Duration timeout, Condition condition) throws Exception {
        if (!awaitUpTo(timeout, condition)) {
            throw new IllegalStateException("not " + what + " within " + timeout);
        }
    }

    /** Whether {@code condition} held within {@code timeout}, polled each second. */
    private static boolean awaitUpTo(Duration timeout, Condition condition) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.holds()) {
            if (System.nanoTime() > deadline) {
                return false;
            }
            Thread.sleep(POLL.toMillis());
        }
        return true;
    }
}
