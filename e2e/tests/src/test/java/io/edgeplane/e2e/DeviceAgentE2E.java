package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Edge-local operations with the WAN down: on a device cut off from the seed, the person on site
 * applies a staged version, stops and starts a workload, deletes one and imports an offline bundle
 * with the device agent's local command; the workloads serve meanwhile and {@code list} shows it.
 * On reconnect the seed manager shows what was done on the device (states, versions, audit entries
 * attributed to the device) and reports a change the operator made meanwhile as a conflict. Then
 * the agent is killed, the kubelet restarted and the device power-cut and booted without the seed:
 * every workload keeps or comes back, and no container is restarted needlessly.
 */
class DeviceAgentE2E {
    private static final Duration JOIN = Duration.ofMinutes(4);
    private static final Duration SETTLE = Duration.ofMinutes(2);
    /**
     * How long a pod started on a cut-off device may take: the kubelet creates a static pod's mirror
     * pod before its containers, and waits for each attempt to reach the lost control plane to time out.
     */
    private static final Duration OFFLINE_START = Duration.ofMinutes(3);
    private static final int GRACE_SECONDS = 20;
    private static final String AGENT = "/usr/local/bin/edgeplane-device";
    private static final String SERVICE = "/usr/local/sbin/edgeplane-service";
    /** The agent's command line (its process name is cut to 15 characters). */
    private static final String AGENT_PROCESS = "^" + AGENT + " agent";
    private static final Map<String, Integer> PORTS = Map.of("pumps", 18080, "valves", 18081, "meter", 18082, "gauge", 18083,
            "offline", 18084);

    @TempDir
    Path dir;

    @AfterEach
    void killLeftoverComponents() {
        Clusters.killComponentsOf(dir.resolve("data"));
    }

    @Test
    void onTheDeviceWithTheWanDownAndTheSeedLearnsWhatWasDoneOnReconnect() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            String hello1 = TestImages.helloHttp(registry);
            String hello2 = TestImages.helloHttp(registry, "2");
            Path data = dir.resolve("data");
            Files.writeString(SeedManagerInstance.exampleSeed(data), EdgeDevices.seed(host, registry.hostPort(), TestImages.pause(registry)));
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of(
                    "edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()));
                 Device edge = Device.create("edge-1")) {
                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
                String cluster = "/api/v1/projects/acme/clusters/line";
                Reply created = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"lab\","
                        + "\"nodeHealth\":{\"gracePeriodSeconds\":" + GRACE_SECONDS + "}}");
                assertThat(created.status()).as(created.toString()).isEqualTo(202);
                Clusters.awaitPhase(seed, cluster, "Running", Duration.ofMinutes(2));
                String machines = cluster + "/machinedeployments";
                EdgeDevices.sharesTheHostKernel(edge);
                EdgeDevices.provisionOverSsh(seed, machines, edge);
                Clusters.awaitPhase(seed, machines + "/edge-1", "Ready", JOIN);
                Path kubeconfig = dir.resolve("line.kubeconfig");
                Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, cluster + "/kubeconfig").body());

                WorkloadApi api = new WorkloadApi(seed, "acme", "line");
                for (Map.Entry<String, Integer> app : PORTS.entrySet()) {
                    assertThat(api.registerApp(app.getKey(), "1", hello1, app.getValue()).status()).isEqualTo(201);
                }
                assertThat(api.registerApp("pumps", "2", hello2, PORTS.get("pumps")).status()).isEqualTo(201);
                System.out.printf("e2e: device agent %s%n", run(edge, AGENT, "version").stdout().strip());
                System.out.printf("e2e: agent idle with no workloads: %s%n", agentUsage(edge));

                try (KubernetesClient tenant = TenantClient.of(kubeconfig)) {
                    long started = System.nanoTime();
                    for (String name : List.of("pumps", "valves", "meter", "gauge")) {
                        Reply deployed = api.deploy(name, name, "1", List.of("edge-1"), name + " v1", false, true);
                        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(202);
                    }
                    for (String name : List.of("pumps", "valves", "meter", "gauge")) {
                        api.awaitState(name, "running", SETTLE);
                        assertThat(WorkloadE2E.awaitAnswer(edge, url(edge, name), "hello from")).contains(": " + name + " v1");
                    }
                    System.out.printf("e2e: four workloads deployed through the device agent, running in %d ms%n", millisSince(started));
                    Pod mirror = WorkloadE2E.workloadPods(tenant, "valves").get(0);
                    assertThat(mirror.getMetadata().getAnnotations()).as("a static pod of the agent")
                            .containsKey(WorkloadApi.MIRROR_ANNOTATION);
                    assertThat(tenant.apps().deployments().inNamespace(WorkloadApi.NAMESPACE).list().getItems()).isEmpty();

                    Reply staged = api.deploy("pumps", "pumps", "2", List.of("edge-1"), "pumps v2", true, false);
                    assertThat(staged.status()).as(staged.toString()).isEqualTo(202);
                    api.stagedStatesUntil("pumps", "ready", SETTLE);
                    Map<String, String> containers = containerIds(tenant, List.of("valves", "gauge"));

                    // The WAN goes down. Everything below happens on the device alone.
                    edge.cutOff();
                    String list = awaitList(edge, "pumps", "2 (ready)");
                    System.out.printf("e2e: local list while cut off:%n%s", list);
                    assertThat(lines(list, "pumps")).contains("1").contains("running");
                    CommandResult refused = edge.exec(List.of(AGENT, "workloads", "start", "valves"), Map.of(), Duration.ofSeconds(30));
                    assertThat(refused.exitCode()).as("start of a running workload is refused: " + refused).isEqualTo(3);
                    CommandResult unknown = edge.exec(List.of(AGENT, "workloads", "stop", "nope"), Map.of(), Duration.ofSeconds(30));
                    assertThat(unknown.exitCode()).as(unknown.toString()).isEqualTo(4);
                    CommandResult usage = edge.exec(List.of(AGENT, "workloads", "launch", "valves"), Map.of(), Duration.ofSeconds(30));
                    assertThat(usage.exitCode()).as(usage.toString()).isEqualTo(2);

                    started = System.nanoTime();
                    run(edge, AGENT, "workloads", "apply", "pumps", "--reason", "maintenance shift");
                    WorkloadE2E.awaitAnswer(edge, url(edge, "pumps"), "(version 2)", OFFLINE_START);
                    System.out.printf("e2e: local apply of the staged version to serving in %d ms%n", millisSince(started));
                    started = System.nanoTime();
                    run(edge, AGENT, "workloads", "stop", "valves");
                    WorkloadE2E.awaitSilence(edge, url(edge, "valves"));
                    System.out.printf("e2e: local stop to silent in %d ms%n", millisSince(started));
                    assertThat(lines(awaitList(edge, "valves", "stopped"), "valves")).contains("local change pending");
                    started = System.nanoTime();
                    run(edge, AGENT, "workloads", "start", "valves");
                    WorkloadE2E.awaitAnswer(edge, url(edge, "valves"), "hello from", OFFLINE_START);
                    System.out.printf("e2e: local start to serving in %d ms%n", millisSince(started));
                    run(edge, AGENT, "workloads", "delete", "meter");
                    WorkloadE2E.awaitSilence(edge, url(edge, "meter"));
                    run(edge, AGENT, "workloads", "stop", "gauge", "--reason", "sensor cleaning");
                    WorkloadE2E.awaitSilence(edge, url(edge, "gauge"));

                    // Meanwhile the operator deploys a new workload (exported as a bundle and carried to the
                    // device) and changes gauge's configuration: the device's stop of gauge will conflict.
                    Reply offline = api.deploy("offline", "offline", "1", List.of("edge-1"), "offline v1", false, true);
                    assertThat(offline.status()).as(offline.toString()).isEqualTo(202);
                    Reply changed = api.deploy("gauge", "gauge", "1", List.of("edge-1"), "gauge changed", false, true);
                    assertThat(changed.status()).as(changed.toString()).isEqualTo(202);
                    Path bundle = dir.resolve("offline-line-edge-1.tar");
                    HttpResponse<Path> exported = api.download(api.workload("offline") + "/bundle?node=edge-1", bundle);
                    assertThat(exported.statusCode()).isEqualTo(200);
                    Files.copy(bundle, edge.hostPath("/root/offline.tar"));
                    started = System.nanoTime();
                    run(edge, AGENT, "workloads", "import", "/root/offline.tar");
                    WorkloadE2E.awaitAnswer(edge, url(edge, "offline"), ": offline v1", OFFLINE_START);
                    System.out.printf("e2e: local import to serving in %d ms%n", millisSince(started));

                    list = awaitList(edge, "offline", "running");
                    if (!settledOffline(list)) {
                        // Seen in full runs: a workload serving after its local action showed deploying a little later.
                        System.out.printf("e2e: the local list after the import is not settled yet:%n%s%s%n%s%n", list,
                                edge.httpGet(url(edge, "pumps")), WorkloadE2E.deviceLogs(edge));
                        long deadline = System.nanoTime() + OFFLINE_START.toNanos();
                        while (!settledOffline(list) && System.nanoTime() < deadline) {
                            Thread.sleep(1000);
                            list = run(edge, AGENT, "workloads", "list").stdout();
                        }
                    }
                    System.out.printf("e2e: local list before reconnect:%n%s", list);
                    assertThat(lines(list, "pumps")).contains("2").contains("running");
                    assertThat(lines(list, "valves")).contains("running");
                    assertThat(lines(list, "gauge")).contains("stopped");
                    assertThat(lines(list, "offline")).contains("running");
                    assertThat(lines(list, "meter")).as("deleted").isEmpty();
                    assertThat(api.get("pumps").path("version").asText()).as("the seed has not heard yet").isEqualTo("1");

                    // The link is back: the seed adopts what was done, keeps the operator's change to gauge.
                    edge.reconnect();
                    started = System.nanoTime();
                    JsonNode pumps = api.await("pumps", "version 2 running", w -> w.path("version").asText().equals("2")
                            && w.path("state").asText().equals("running"), SETTLE);
                    System.out.printf("e2e: reconnect to the seed showing the local apply in %d ms%n", millisSince(started));
                    assertThat(pumps.path("staged").isNull() || pumps.path("staged").isMissingNode()).as(pumps.toString()).isTrue();
                    assertThat(pumps.path("deviceActions").get(0).path("action").asText()).isEqualTo("apply");
                    assertThat(pumps.path("deviceActions").get(0).path("outcome").asText()).isEqualTo("adopted");
                    assertThat(pumps.path("deviceActions").get(0).path("cause").asText()).isEqualTo("maintenance shift");
                    // Running before and after, so only the adopted actions tell that the seed heard of them.
                    JsonNode valves = api.await("valves", "both actions adopted", w -> w.path("state").asText().equals("running")
                            && w.path("deviceActions").size() >= 2, SETTLE);
                    assertThat(valves.path("deviceActions")).extracting(a -> a.path("action").asText()).containsExactly("start", "stop");
                    api.awaitGone("meter", SETTLE);
                    api.awaitState("offline", "running", SETTLE);
                    JsonNode gauge = api.await("gauge", "the conflict shown", w -> w.path("deviceActions").size() > 0
                            && w.path("state").asText().equals("running"), SETTLE);
                    assertThat(gauge.path("deviceActions").get(0).path("outcome").asText()).isEqualTo("conflict");
                    assertThat(gauge.path("deviceActions").get(0).path("message").asText()).contains("operator's state was kept");
                    assertThat(WorkloadE2E.awaitAnswer(edge, url(edge, "gauge"), "hello from")).contains(": gauge changed");
                    System.out.printf("e2e: reconnect to every local action decided in %d ms%n", millisSince(started));
                    JsonNode audit = seed.get(ADMIN_TOKEN, "/api/v1/audit?limit=100").json().path("items");
                    List<String> byDevice = new ArrayList<>();
                    audit.forEach(e -> {
                        if (e.path("actor").asText().equals("device:acme/line/edge-1")) {
                            byDevice.add(e.path("action").asText().split(" ")[1] + " " + e.path("result").asText());
                        }
                    });
                    assertThat(byDevice).containsExactlyInAnyOrder("apply adopted", "stop adopted", "start adopted", "delete adopted",
                            "stop conflict", "import adopted");
                    assertThat(run(edge, AGENT, "workloads", "list").stdout()).doesNotContain("local change pending");
                    assertThat(WorkloadE2E.workloadPods(tenant, "offline")).as("the imported pod is kept, not recreated").hasSize(1);
                    assertThat(containerIds(tenant, List.of("valves")).get("valves")).as("stopped and started: a new container")
                            .isNotEqualTo(containers.get("valves"));

                    // The agent killed, the kubelet restarted: nothing is restarted needlessly.
                    Map<String, String> before = containerIds(tenant, List.of("pumps", "valves", "gauge", "offline"));
                    String agentPid = agentPid(edge);
                    run(edge, "pkill", "-9", "-f", AGENT_PROCESS);
                    run(edge, SERVICE, "restart", "kubelet");
                    Thread.sleep(15_000);
                    assertThat(agentPid(edge)).as("the supervisor started the agent again").isNotEmpty().isNotEqualTo(agentPid);
                    for (String name : List.of("pumps", "valves", "gauge", "offline")) {
                        WorkloadE2E.awaitAnswer(edge, url(edge, name), "hello from");
                    }
                    Map<String, String> after = containerIds(tenant, List.of("pumps", "valves", "gauge", "offline"));
                    assertThat(after).as("containers after the restarts%n%s", WorkloadE2E.deviceLogs(edge)).isEqualTo(before);

                    // A power cut while the WAN is down: the device boots and brings its workloads back alone.
                    edge.cutOff();
                    edge.kill();
                    started = System.nanoTime();
                    edge.boot();
                    run(edge, SERVICE, "start-all");
                    for (String name : List.of("pumps", "valves", "gauge", "offline")) {
                        WorkloadE2E.awaitAnswer(edge, url(edge, name), "hello from", OFFLINE_START);
                    }
                    System.out.printf("e2e: boot without the seed to every workload serving in %d ms%n", millisSince(started));
                    edge.reconnect();
                    for (String name : List.of("pumps", "valves", "gauge", "offline")) {
                        api.awaitState(name, "running", SETTLE);
                    }

                    // Ten workloads on the device: what the agent costs.
                    assertThat(api.registerApp("extra", "1", hello1, null).status()).isEqualTo(201);
                    for (int i = 1; i <= 6; i++) {
                        assertThat(api.deploy("extra-" + i, "extra", "1", List.of("edge-1"), "extra", false, true).status()).isEqualTo(202);
                    }
                    for (int i = 1; i <= 6; i++) {
                        api.awaitState("extra-" + i, "running", SETTLE);
                    }
                    System.out.printf("e2e: agent with ten workloads: %s%n", agentUsage(edge));
                }
                assertThat(seed.delete(ADMIN_TOKEN, cluster).status()).isEqualTo(202);
                Clusters.awaitGone(seed, cluster, Duration.ofMinutes(1));
            }
        }
    }

    private static String url(Device device, String workload) {
        return "http://" + device.address() + ":" + PORTS.get(workload) + "/";
    }

    private static CommandResult run(Device device, String... command) {
        CommandResult result = device.exec(List.of(command), Map.of(), Duration.ofMinutes(3));
        assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.stdout() + result.stderr()).isZero();
        return result;
    }

    /** The local list, once its line about {@code workload} contains {@code expected}. */
    private static String awaitList(Device device, String workload, String expected) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        String list = "";
        while (System.nanoTime() < deadline) {
            list = run(device, AGENT, "workloads", "list").stdout();
            if (lines(list, workload).contains(expected)) {
                return list;
            }
            Thread.sleep(500);
        }
        throw new AssertionError("the local list never showed " + workload + " with '" + expected + "':\n" + list);
    }

    /** What the device's list shows once every local action of the cut-off phase has taken effect. */
    private static boolean settledOffline(String list) {
        return lines(list, "pumps").contains("running") && lines(list, "valves").contains("running")
                && lines(list, "gauge").contains("stopped") && lines(list, "offline").contains("running");
    }

    /** The lines of {@code list} about {@code workload}. */
    private static String lines(String list, String workload) {
        return list.lines().filter(l -> l.startsWith(workload + " ")).reduce("", (a, b) -> a + b + "\n");
    }

    private static String agentPid(Device device) {
        return device.exec(List.of("pgrep", "-f", AGENT_PROCESS), Map.of(), Duration.ofSeconds(10)).stdout().strip();
    }

    /** Resident memory of the agent and its CPU use over ten seconds, from /proc on the device. */
    private static String agentUsage(Device device) {
        String script = """
                pid="$(pgrep -f '^/usr/local/bin/edgeplane-device agent' | head -n1)"
                ticks() { awk '{print $14 + $15}' "/proc/$pid/stat"; }
                a="$(ticks)"; sleep 10; b="$(ticks)"
                echo "$(awk '/VmRSS/ {print $2}' "/proc/$pid/status") $((b - a)) $(getconf CLK_TCK)"
                """;
        CommandResult result = device.exec(List.of("bash", "-c", script), Map.of(), Duration.ofSeconds(30));
        String[] fields = result.stdout().strip().split("\\s+");
        if (fields.length < 3) {
            return result.toString();
        }
        double cpuPercent = 100.0 * Long.parseLong(fields[1]) / Long.parseLong(fields[2]) / 10;
        return String.format("RSS %.1f MiB, CPU %.2f %% of one core over 10 s", Long.parseLong(fields[0]) / 1024.0, cpuPercent);
    }

    /**
     * The running container of each workload's one pod, as the kubelet reports it into the cluster, once two reads ten
     * seconds apart agree: after a reconnect the kubelet mirrors static pods and flushes the statuses it could not write
     * a while later (longer on a busy machine), so a single read may still show containers that are gone.
     */
    private static Map<String, String> containerIds(KubernetesClient tenant, List<String> workloads) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(150).toNanos();
        Map<String, String> previous = Map.of();
        while (true) {
            Map<String, String> ids = runningContainers(tenant, workloads);
            if (ids.size() == workloads.size() && ids.equals(previous)) {
                return ids;
            }
            if (System.nanoTime() > deadline) {
                assertThat(ids.keySet()).as("workloads with exactly one pod with a running container").containsExactlyInAnyOrderElementsOf(workloads);
                assertThat(ids).as("the reported containers settled").isEqualTo(previous);
            }
            previous = ids;
            Thread.sleep(10_000);
        }
    }

    private static Map<String, String> runningContainers(KubernetesClient tenant, List<String> workloads) {
        Map<String, String> ids = new java.util.TreeMap<>();
        for (String workload : workloads) {
            List<Pod> pods = WorkloadE2E.workloadPods(tenant, workload);
            if (pods.size() != 1 || pods.get(0).getStatus().getContainerStatuses() == null) {
                continue;
            }
            pods.get(0).getStatus().getContainerStatuses().stream()
                    .filter(c -> c.getContainerID() != null && Boolean.TRUE.equals(c.getReady()) && c.getState() != null
                            && c.getState().getRunning() != null)
                    .findFirst().ifPresent(c -> ids.put(workload, c.getContainerID()));
        }
        return ids;
    }

    private static long millisSince(long nanos) {
        return (System.nanoTime() - nanos) / 1_000_000;
    }
}
