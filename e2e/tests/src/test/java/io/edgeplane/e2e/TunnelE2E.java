package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.TestBedRun;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.Site;
import io.edgeplane.testbed.device.Subnet;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.api.model.IntOrString;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.ServiceBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenReview;
import io.fabric8.kubernetes.api.model.authentication.TokenReviewBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Devices behind NAT: two sites use the same private subnet, so their devices have the same
 * address, and neither can be reached from the seed. Each is provisioned by its fetched script
 * (SSH cannot reach them) and dials out only; {@code kubectl logs -f}, {@code exec -i} and
 * {@code port-forward} still reach the right device, through the tunnel, with the kubelet's serving
 * certificate verified. A stopped tunnel agent gives a clear error and shows in the device's
 * status; started again, it works with nothing done on the seed. A cut link comes back by itself
 * and a deploy queued meanwhile starts. Deprovisioning makes the device's tunnel token worthless.
 * The pod network links the two devices' pods through the seed's relay: a pod reaches the other
 * device's pod at its address, and a Service is answered from both devices.
 */
class TunnelE2E {
    private static final Duration JOIN = Duration.ofMinutes(4);
    private static final Duration SETTLE = Duration.ofMinutes(2);
    private static final String SERVICE = "/usr/local/sbin/edgeplane-service";
    private static final String TOKEN = "/var/lib/edgeplane/tunnel/token";
    /** The host port of the test workload; it listens on 8080 in its pod. */
    private static final int PORT = 18090;
    private static final int CONTAINER_PORT = 8080;

    @TempDir
    Path dir;

    @AfterEach
    void killLeftoverComponents() {
        Clusters.killComponentsOf(dir.resolve("data"));
    }

    @Test
    void logsExecAndPortForwardReachDevicesBehindNatThroughTheTunnel() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        Subnet lan = Subnet.parse("192.168.50.0/24");
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            String hello = TestImages.helloHttp(registry);
            Path data = dir.resolve("data");
            Files.writeString(SeedManagerInstance.exampleSeed(data), EdgeDevices.seed(host, registry.hostPort(), TestImages.pause(registry)));
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of(
                    "edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()));
                 Site siteA = Site.create("site-a", lan);
                 Site siteB = Site.create("site-b", lan)) {
                Device edgeA = Device.create("edge-a", siteA);
                Device edgeB = Device.create("edge-b", siteB);
                assertThat(edgeA.address()).as("two sites behind NAT with the same private subnet").isEqualTo(edgeB.address());

                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
                String cluster = "/api/v1/projects/acme/clusters/line";
                Reply created = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters",
                        "{\"name\":\"line\",\"datacenter\":\"lab\",\"nodeHealth\":{\"gracePeriodSeconds\":20}}");
                assertThat(created.status()).as(created.toString()).isEqualTo(202);
                Clusters.awaitPhase(seed, cluster, "Running", Duration.ofMinutes(2));
                String machines = cluster + "/machinedeployments";
                long started = System.nanoTime();
                for (Device device : List.of(edgeA, edgeB)) {
                    EdgeDevices.sharesTheHostKernel(device);
                    CommandResult provisioned = EdgeDevices.provisionByHand(seed, machines, device);
                    assertThat(provisioned.exitCode()).as(provisioned.stdout() + provisioned.stderr()).isZero();
                }
                for (Device device : List.of(edgeA, edgeB)) {
                    Clusters.awaitPhase(seed, machines + "/" + device.name(), "Ready", JOIN);
                    await(seed, machines + "/" + device.name(), "its tunnel up", m -> m.path("tunnel").path("state").asText().equals("connected"));
                }
                System.out.printf("e2e: two NAT'd devices provisioned by their fetched scripts, tunnels up in %d ms%n", millisSince(started));
                JsonNode counted = await(seed, cluster, "both tunnels counted", c -> c.path("tunnels").path("connected").asInt() == 2);
                assertThat(counted.path("tunnels").path("devices").asInt()).isEqualTo(2);

                Path kubeconfig = dir.resolve("line.kubeconfig");
                Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, cluster + "/kubeconfig").body());
                WorkloadApi api = new WorkloadApi(seed, "acme", "line");
                assertThat(api.registerApp("beacon", "1", hello, PORT).status()).isEqualTo(201);
                Reply deployed = api.deploy("beacon", "beacon", "1", List.of("edge-a", "edge-b"), "beacon", false, true);
                assertThat(deployed.status()).as(deployed.toString()).isEqualTo(202);
                api.awaitState("beacon", "running", SETTLE);

                try (KubernetesClient tenant = TenantClient.of(kubeconfig)) {
                    String podA = podOn(tenant, "beacon", "edge-a");
                    String podB = podOn(tenant, "beacon", "edge-b");

                    // port-forward reaches the pod on the device it names, although both devices share an address.
                    String forwarded = portForward(binaries, kubeconfig, podA);
                    assertThat(forwarded).contains("hello from " + podA);
                    assertThat(portForward(binaries, kubeconfig, podB)).contains("hello from " + podB);

                    // logs -f follows: a request made after it started shows up in it.
                    try (Follower logs = Follower.start(kubectl(binaries, kubeconfig, "logs", "-f", "-n", WorkloadApi.NAMESPACE, podA))) {
                        logs.await("listening on");
                        portForward(binaries, kubeconfig, podA);
                        logs.await("GET /");
                    }

                    // exec -i: stdin travels to the container and its output back.
                    started = System.nanoTime();
                    String echoed = exec(binaries, kubeconfig, podB, "through the tunnel");
                    System.out.printf("e2e: kubectl exec -i round trip through the tunnel %d ms%n", millisSince(started));
                    assertThat(echoed).contains("echo from " + podB).contains("through the tunnel");
                    List<Long> rounds = new ArrayList<>();
                    for (int i = 0; i < 5; i++) {
                        long round = System.nanoTime();
                        exec(binaries, kubeconfig, podB, "round " + i);
                        rounds.add(millisSince(round));
                    }
                    System.out.printf("e2e: kubectl exec -i through the tunnel, 5 rounds %s ms (median %d ms); tunnel agent %s; tunnel server %s%n",
                            rounds, rounds.stream().sorted().toList().get(2), rss(edgeB, "konnectivity-agent"), serverRss(data));

                    // The pod network: the pod on edge-a reaches the pod on edge-b at its pod address, although the two
                    // sites share a private subnet and only dial out, and a Service by name is answered from both devices.
                    for (Device device : List.of(edgeA, edgeB)) {
                        await(seed, machines + "/" + device.name(), "its pod network up",
                                m -> m.path("podNetwork").path("state").asText().equals("connected"));
                    }
                    String urlB = "http://" + podIp(tenant, podB) + ":" + CONTAINER_PORT + "/";
                    started = System.nanoTime();
                    String across = inPod(binaries, kubeconfig, podA, "bench", urlB, "20");
                    System.out.printf("e2e: pod on edge-a to the pod on edge-b through the pod network: first answer in %d ms, %s%n",
                            millisSince(started), lastLine(across));
                    assertThat(across).contains("answered 20: hello from " + podB);
                    String beside = inPod(binaries, kubeconfig, podA, "bench", "http://" + podIp(tenant, podA) + ":" + CONTAINER_PORT + "/", "20");
                    System.out.printf("e2e: pod on edge-a to itself, for comparison: %s%n", lastLine(beside));
                    tenant.services().inNamespace(WorkloadApi.NAMESPACE).resource(new ServiceBuilder()
                            .withNewMetadata().withName("beacon").endMetadata()
                            .withNewSpec().withSelector(WorkloadApi.workloadSelector("beacon"))
                            .addNewPort().withPort(80).withTargetPort(new IntOrString(CONTAINER_PORT)).endPort().endSpec().build()).create();
                    String spread = inPod(binaries, kubeconfig, podA, "bench", "http://beacon." + WorkloadApi.NAMESPACE + ".svc/", "40");
                    System.out.printf("e2e: the Service beacon from edge-a, 40 requests:%n%s", spread.substring(spread.indexOf("answered")));
                    assertThat(spread).contains("hello from " + podA).contains("hello from " + podB);

                    // The tunnel agent stops: a clear error, and the device's status says why.
                    run(edgeA, SERVICE, "stop", "edgeplane-tunnel");
                    JsonNode down = await(seed, machines + "/edge-a", "its tunnel down",
                            m -> m.path("tunnel").path("state").asText().equals("disconnected"));
                    System.out.printf("e2e: tunnel of edge-a while its agent is stopped: %s%n", down.path("tunnel"));
                    assertThat(down.path("tunnel").path("reason").asText()).contains("tunnel agent");
                    String refused = kubectlFails(binaries, kubeconfig, "logs", "-n", WorkloadApi.NAMESPACE, podA);
                    System.out.printf("e2e: kubectl logs while the tunnel is down: %s%n", refused.strip());
                    assertThat(refused).containsIgnoringCase("agent");
                    started = System.nanoTime();
                    run(edgeA, SERVICE, "start", "edgeplane-tunnel");
                    await(seed, machines + "/edge-a", "its tunnel up again", m -> m.path("tunnel").path("state").asText().equals("connected"));
                    assertThat(awaitLogs(binaries, kubeconfig, podA)).contains("listening on");
                    System.out.printf("e2e: tunnel agent started to kubectl logs answering in %d ms%n", millisSince(started));

                    // The link is cut: the tunnel comes back by itself, and a deploy queued meanwhile starts.
                    edgeB.cutOff();
                    await(seed, machines + "/edge-b", "its tunnel shown down", m -> m.path("tunnel").path("state").asText().equals("disconnected"));
                    assertThat(api.registerApp("queued", "1", hello, PORT + 1).status()).isEqualTo(201);
                    Reply queued = api.deploy("queued", "queued", "1", List.of("edge-b"), "queued", false, true);
                    assertThat(queued.status()).as(queued.toString()).isEqualTo(202);
                    edgeB.reconnect();
                    started = System.nanoTime();
                    api.awaitState("queued", "running", SETTLE);
                    await(seed, machines + "/edge-b", "its tunnel up again", m -> m.path("tunnel").path("state").asText().equals("connected"));
                    assertThat(exec(binaries, kubeconfig, podOn(tenant, "queued", "edge-b"), "back")).contains("back");
                    System.out.printf("e2e: reconnect to the queued deploy running and exec answering in %d ms%n", millisSince(started));
                    await(seed, machines + "/edge-b", "its pod network up again", m -> m.path("podNetwork").path("state").asText().equals("connected"));
                    String afterLink;
                    try {
                        afterLink = inPod(binaries, kubeconfig, podA, "get", urlB);
                    } catch (AssertionError e) {
                        throw new AssertionError(e.getMessage() + podNetworkFacts(tenant, podB, edgeB), e);
                    }
                    assertThat(afterLink).as("the pod network after the link came back").contains("hello from " + podB);


                    // Deprovisioning: the device's tunnel token no longer authenticates.
                    String token = Files.readString(edgeA.hostPath(TOKEN)).strip();
                    assertThat(authenticated(tenant, token)).as("the device's token before deprovisioning").isTrue();
                    String deprovision = seed.get(ADMIN_TOKEN, machines + "/edge-a/deprovisioning-script").body();
                    assertThat(seed.delete(ADMIN_TOKEN, machines + "/edge-a").status()).isEqualTo(202);
                    Clusters.awaitGone(seed, machines + "/edge-a", Duration.ofMinutes(1));
                    // The apiserver caches a token's successful logins for 10 s.
                    long revoked = System.nanoTime();
                    while (authenticated(tenant, token)) {
                        assertThat(millisSince(revoked)).as("the device's token still authenticates after deprovisioning").isLessThan(30_000);
                        Thread.sleep(500);
                    }
                    System.out.printf("e2e: device removed to its tunnel token refused in %d ms%n", millisSince(revoked));
                    Files.writeString(edgeA.hostPath("/root/deprovision.sh"), deprovision);
                    run(edgeA, "bash", "/root/deprovision.sh");
                    assertThat(edgeA.hostPath("/usr/local/bin/konnectivity-agent")).doesNotExist();
                    assertThat(edgeA.hostPath("/var/lib/edgeplane/tunnel")).doesNotExist();
                    assertThat(edgeA.hostPath("/etc/kubernetes/manifests/edgeplane-kube-proxy.yaml")).doesNotExist();
                    assertThat(edgeA.hostPath("/etc/kubernetes/manifests/edgeplane-coredns.yaml")).doesNotExist();
                    assertThat(edgeA.exec(List.of("ip", "link", "show", "edgeplane0"), Map.of(), Duration.ofSeconds(10)).exitCode())
                            .as("the pod network's link is gone").isNotZero();

                }
                assertThat(seed.delete(ADMIN_TOKEN, cluster).status()).isEqualTo(202);
                Clusters.awaitGone(seed, cluster, Duration.ofMinutes(1));
            }
        }
    }

    private static boolean authenticated(KubernetesClient tenant, String token) {
        TokenReview review = tenant.resource(new TokenReviewBuilder().withNewSpec().withToken(token)
                .withAudiences("system:konnectivity-server").endSpec().build()).create();
        return Boolean.TRUE.equals(review.getStatus().getAuthenticated());
    }

    static String podOn(KubernetesClient tenant, String workload, String node) throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        while (System.nanoTime() < deadline) {
            List<Pod> pods = WorkloadE2E.workloadPods(tenant, workload).stream()
                    .filter(p -> node.equals(p.getSpec().getNodeName()) && p.getMetadata().getDeletionTimestamp() == null).toList();
            if (pods.size() == 1) {
                return pods.get(0).getMetadata().getName();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("no pod of " + workload + " on " + node);
    }

    /** {@code kubectl port-forward} to the pod's port, one GET through it, the answer. */
    private static String portForward(KubernetesBinaries binaries, Path kubeconfig, String pod) throws Exception {
        int local;
        try (ServerSocket free = new ServerSocket(0)) {
            local = free.getLocalPort();
        }
        try (Follower forward = Follower.start(kubectl(binaries, kubeconfig, "port-forward", "-n", WorkloadApi.NAMESPACE,
                "pod/" + pod, local + ":" + CONTAINER_PORT))) {
            forward.await("Forwarding from");
            String url = "http://127.0.0.1:" + local + "/";
            HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
            try {
                HttpResponse<String> answer = http.send(HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(20)).GET().build(),
                        HttpResponse.BodyHandlers.ofString());
                assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
                return answer.body();
            } catch (java.io.IOException e) {
                Thread.sleep(1000);
                throw new AssertionError("GET " + url + " through kubectl port-forward to " + pod + ": " + e + "; kubectl said:\n"
                        + forward.drain(), e);
            }
        }
    }

    /** Runs hello-http with {@code args} in the workload's pod {@code pod}, through the tunnel; its output. */
    private static String inPod(KubernetesBinaries binaries, Path kubeconfig, String pod, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of("exec", "-n", WorkloadApi.NAMESPACE, pod, "--", "/hello-http"));
        command.addAll(List.of(args));
        return Kubectl.run(binaries, kubeconfig, command.toArray(String[]::new));
    }

    private static String podIp(KubernetesClient tenant, String pod) {
        return tenant.pods().inNamespace(WorkloadApi.NAMESPACE).withName(pod).get().getStatus().getPodIP();
    }

    private static String lastLine(String output) {
        String[] lines = output.strip().split("\n");
        return lines[lines.length - 1];
    }

    static String exec(KubernetesBinaries binaries, Path kubeconfig, String pod, String input) throws Exception {
        Process process = new ProcessBuilder(kubectl(binaries, kubeconfig, "exec", "-i", "-n", WorkloadApi.NAMESPACE, pod, "--",
                "/hello-http", "echo")).redirectErrorStream(true).start();
        process.getOutputStream().write((input + "\n").getBytes(StandardCharsets.UTF_8));
        process.getOutputStream().close();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).as("kubectl exec ends").isTrue();
        assertThat(process.exitValue()).as(output).isZero();
        return output;
    }

    static String awaitLogs(KubernetesBinaries binaries, Path kubeconfig, String pod) throws Exception {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            try {
                return Kubectl.run(binaries, kubeconfig, "logs", "-n", WorkloadApi.NAMESPACE, pod);
            } catch (AssertionError notYet) {
                last = notYet.getMessage();
            }
            Thread.sleep(500);
        }
        throw new AssertionError("kubectl logs never answered: " + last);
    }

    private static String kubectlFails(KubernetesBinaries binaries, Path kubeconfig, String... args) throws Exception {
        Process process = new ProcessBuilder(kubectl(binaries, kubeconfig, args)).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as("kubectl %s should fail: %s", String.join(" ", args), output).isNotZero();
        return output;
    }

    static List<String> kubectl(KubernetesBinaries binaries, Path kubeconfig, String... args) {
        List<String> command = new ArrayList<>(List.of(binaries.binary("kubectl").toString(), "--kubeconfig", kubeconfig.toString(),
                "--cache-dir", TestBedRun.current().dir().resolve("kubectl-cache").toString()));
        command.addAll(List.of(args));
        return command;
    }

    static JsonNode await(SeedManagerInstance seed, String path, String what, Predicate<JsonNode> condition)
            throws InterruptedException {
        long deadline = System.nanoTime() + SETTLE.toNanos();
        JsonNode last = null;
        while (System.nanoTime() < deadline) {
            last = seed.get(ADMIN_TOKEN, path).json();
            if (condition.test(last)) {
                return last;
            }
            Thread.sleep(500);
        }
        throw new AssertionError(path + ": never " + what + ": " + last);
    }

    /**
     * What a failed read across the pod network needs explained (seen once, on a cold machine running two E2Es at
     * once): whether the pod still has the address read before, and what the device's side holds for it.
     */
    private static String podNetworkFacts(KubernetesClient tenant, String pod, Device device) {
        StringBuilder facts = new StringBuilder("\n--- pod-network facts ---\n");
        try {
            Pod now = tenant.pods().inNamespace(WorkloadApi.NAMESPACE).withName(pod).get();
            facts.append(pod).append(" now: ").append(now == null ? "gone" : now.getStatus().getPodIP() + " " + now.getStatus().getPhase()
                    + " started " + now.getStatus().getStartTime() + " containers " + now.getStatus().getContainerStatuses()).append('\n');
        } catch (RuntimeException e) {
            facts.append(pod).append(": ").append(e).append('\n');
        }
        String script = "ip -4 addr; ip -4 route; ip -4 neigh; ip -br link; tail -n 40 /var/log/edgeplane/edgeplane-device.log";
        try {
            CommandResult shown = device.exec(List.of("sh", "-c", script), Map.of(), Duration.ofSeconds(20));
            facts.append(device.name()).append(": ").append(script).append('\n').append(shown.stdout()).append(shown.stderr());
        } catch (Exception e) {
            facts.append(device.name()).append(": ").append(e);
        }
        return facts.toString();
    }

    private static void run(Device device, String... command) throws Exception {
        CommandResult result = device.exec(List.of(command), Map.of(), Duration.ofMinutes(1));
        assertThat(result.exitCode()).as(String.join(" ", command) + ": " + result.stdout() + result.stderr()).isZero();
    }

    /** The resident memory of a device's process, from /proc on the device. */
    static String rss(Device device, String program) throws Exception {
        CommandResult result = device.exec(List.of("bash", "-c", "grep VmRSS /proc/$(pgrep -f '^/usr/local/bin/" + program + " ' | head -n1)/status"),
                Map.of(), Duration.ofSeconds(30));
        return result.stdout().replace("VmRSS:", "RSS").replaceAll("\\s+", " ").strip();
    }

    /** The resident memory of the cluster's tunnel server, a child process of the seed manager. */
    static String serverRss(Path data) throws Exception {
        String clusters = data.resolve("clusters").toString();
        for (ProcessHandle process : ProcessHandle.allProcesses().toList()) {
            String command = process.info().commandLine().orElse("");
            if (command.contains("konnectivity-server") && command.contains(clusters)) {
                return Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status")).stream()
                        .filter(line -> line.startsWith("VmRSS:")).findFirst().orElse("?").replace("VmRSS:", "RSS").replaceAll("\\s+", " ").strip();
            }
        }
        return "not found";
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /** A long-running kubectl whose output lines are read as they come. */
    private static final class Follower implements AutoCloseable {
        private final Process process;
        private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();
        private final StringBuilder seen = new StringBuilder();

        private Follower(Process process) {
            this.process = process;
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        lines.add(line);
                    }
                } catch (java.io.IOException ended) {
                    // the process was stopped
                }
            }, "kubectl-follower");
            reader.setDaemon(true);
            reader.start();
        }

        static Follower start(List<String> command) throws java.io.IOException {
            return new Follower(new ProcessBuilder(command).redirectErrorStream(true).start());
        }

        void await(String text) throws InterruptedException {
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (System.nanoTime() < deadline) {
                String line = lines.poll(500, TimeUnit.MILLISECONDS);
                if (line != null) {
                    seen.append(line).append('\n');
                    if (line.contains(text)) {
                        return;
                    }
                }
            }
            throw new AssertionError("never printed '" + text + "'; printed:\n" + seen);
        }

        /** Everything printed so far. */
        String drain() {
            List<String> rest = new ArrayList<>();
            lines.drainTo(rest);
            rest.forEach(line -> seen.append(line).append('\n'));
            return seen.toString();
        }

        @Override
        public void close() throws InterruptedException {
            process.destroy();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
