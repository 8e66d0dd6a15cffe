package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;

import static io.edgeplane.e2e.EdgeDevices.arch;
import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's whole flow through the {@code edgeplane} CLI, each command a separate process against a real
 * seed manager: login (the token kept in a 0600 config file, never printed), a project, a cluster created with
 * --wait, a kubeconfig real kubectl uses, a device registered from YAML (a typo refused before anything is sent)
 * and provisioned over SSH with its log followed live, an app and a workload deployed, a list watch that sees it
 * running, then undeploy and delete; refusals, not-found and an unreachable server end with their exit codes.
 */
class CliE2E {
    private static final Duration CLUSTER = Duration.ofMinutes(4);
    private static final Duration JOIN = Duration.ofMinutes(6);
    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final int HELLO_PORT = 18090;

    @TempDir
    Path dir;

    @AfterEach
    void killLeftoverComponents() {
        Clusters.killComponentsOf(dir.resolve("data"));
    }

    @Test
    void anOperatorRunsTheWholeFlowThroughTheCli() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            String hello = TestImages.helloHttp(registry);
            Path data = dir.resolve("data");
            Files.writeString(SeedManagerInstance.exampleSeed(data), EdgeDevices.seed(host, registry.hostPort(), TestImages.pause(registry)));
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of(
                    "edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()));
                 Device edge = Device.create("edge-1")) {
                EdgeDevices.sharesTheHostKernel(edge);
                String server = "http://127.0.0.1:" + seed.port();
                EdgeplaneCli cli = new EdgeplaneCli(dir.resolve("home"));

                // Login: the token from stdin into a 0600 file, never echoed.
                EdgeplaneCli.Result login = cli.run(ADMIN_TOKEN + "\n", Duration.ofMinutes(1), Map.of(), "login", server, "--token-stdin", "--context", "lab");
                assertThat(login.exitCode()).as(login.toString()).isZero();
                assertThat(login.stdout() + login.stderr()).doesNotContain(ADMIN_TOKEN);
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(cli.configFile()))).isEqualTo("rw-------");
                assertThat(cli.ok("config", "get-contexts", "-o", "json").stdout()).contains("\"lab\"").doesNotContain(ADMIN_TOKEN);
                EdgeplaneCli.Result badToken = cli.run("wrong-token\n", Duration.ofMinutes(1), Map.of(), "login", server, "--token-stdin", "--context", "x");
                assertThat(badToken.exitCode()).as(badToken.toString()).isEqualTo(3);
                assertThat(badToken.stderr()).contains("401");

                // Off loopback the seed speaks HTTPS only: a CA the CLI does not know is refused, naming what the server
                // presented; the seed CA (downloaded, compared with the fingerprint the seed manager logged) is trusted.
                String external = "https://" + host + ":" + seed.httpsPort();
                EdgeplaneCli.Result unknownCa = cli.run(ADMIN_TOKEN + "\n", Duration.ofMinutes(1), Map.of(), "login", external,
                        "--token-stdin", "--context", "remote");
                assertThat(unknownCa.exitCode()).as(unknownCa.toString()).isEqualTo(5);
                assertThat(unknownCa.stderr()).contains("TLS with " + external, "the server presented", "edgeplane seed CA");
                Path seedCa = dir.resolve("seed-ca.pem");
                Files.writeString(seedCa, seed.get(null, "/tls/ca.crt").body());
                EdgeplaneCli.Result pinned = cli.run(ADMIN_TOKEN + "\n", Duration.ofMinutes(1), Map.of(), "login", external,
                        "--token-stdin", "--context", "remote", "--certificate-authority", seedCa.toString());
                assertThat(pinned.exitCode()).as(pinned.toString()).isZero();
                assertThat(cli.ok("--context", "remote", "projects", "list", "-o", "json").exitCode()).isZero();
                cli.ok("config", "use-context", "lab");

                // Project, and the context's defaults so later commands need no -p/-c.
                JsonNode project = cli.ok("projects", "create", "acme", "--display-name", "ACME Retail", "-o", "json").json();
                assertThat(project.path("name").asText()).isEqualTo("acme");
                EdgeplaneCli.Result again = cli.run("projects", "create", "acme");
                assertThat(again.exitCode()).as("a conflict is an API refusal").isEqualTo(3);
                assertThat(again.stderr()).contains("409");
                cli.ok("config", "set-context", "--project", "acme", "--cluster", "line");
                assertThat(cli.ok("projects", "list").stdout()).contains("NAME").contains("acme").contains("ACME Retail");

                // A cluster, waited for; a kubeconfig real kubectl accepts.
                long started = System.nanoTime();
                EdgeplaneCli.Result created = cli.ok(CLUSTER, "clusters", "create", "line", "--datacenter", "lab", "--wait", "--timeout", "4m");
                System.out.printf("e2e: clusters create --wait returned after %d ms%n", millisSince(started));
                assertThat(created.stdout()).contains("line").contains("Running");
                assertThat(cli.ok("clusters", "get", "line", "-o", "json").json().path("phase").asText()).isEqualTo("Running");
                Path kubeconfig = dir.resolve("line.kubeconfig");
                cli.ok("clusters", "kubeconfig", "line", "--file", kubeconfig.toString());
                assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(kubeconfig))).isEqualTo("rw-------");
                assertThat(Kubectl.run(binaries, kubeconfig, "get", "namespaces")).contains("kube-system");
                EdgeplaneCli.Result missing = cli.run("clusters", "get", "nope");
                assertThat(missing.exitCode()).isEqualTo(4);
                assertThat(missing.stderr()).startsWith("error: 404");

                // A device from YAML: a typo is refused locally and nothing is created; then SSH with the log followed.
                Path typo = Files.writeString(dir.resolve("typo.yaml"), "name: edge-1\nos: debian-12\narch: " + arch() + "\nlabel: {site: lab}\n");
                EdgeplaneCli.Result refused = cli.run("devices", "register", "-f", typo.toString());
                assertThat(refused.exitCode()).isEqualTo(2);
                assertThat(refused.stderr()).contains("unknown field 'label'").contains("labels");
                assertThat(cli.ok("devices", "list", "-o", "json").json().path("items")).isEmpty();
                Path device = Files.writeString(dir.resolve("edge-1.yaml"), deviceYaml(edge));
                cli.ok("devices", "register", "-f", device.toString());
                started = System.nanoTime();
                EdgeplaneCli.Result provisioned = cli.ok(JOIN.plusMinutes(1), "devices", "provision", "edge-1", "--follow", "--wait", "--timeout", "6m");
                System.out.printf("e2e: devices provision --follow --wait returned after %d ms%n", millisSince(started));
                assertThat(provisioned.stdout().lines().count()).as("the delivery's output, streamed").isGreaterThan(3);
                assertThat(provisioned.stderr()).contains("edge-1");
                assertThat(cli.ok("devices", "get", "edge-1", "-o", "json").json().path("phase").asText()).isEqualTo("Ready");
                assertThat(Kubectl.run(binaries, kubeconfig, "get", "nodes")).contains("edge-1");
                // The onboarding check asked for again, waited for: every condition, the device passed request 2.
                EdgeplaneCli.Result checked = cli.ok(JOIN, "devices", "check", "edge-1", "--wait", "--timeout", "3m");
                assertThat(checked.stdout()).contains("ImageRuns\tTrue").contains("Onboarded\tTrue\tpassed the onboarding check (request 2)");

                // An app and a workload; a watch of the list sees it running; it serves on the device.
                Path app = Files.writeString(dir.resolve("hello-1.yaml"), appYaml(hello));
                assertThat(cli.ok("apps", "register", "-f", app.toString()).stdout()).contains("hello");
                Path workload = Files.writeString(dir.resolve("hello.yaml"), """
                        name: hello
                        app: hello
                        version: '1'
                        nodes: [edge-1]
                        configuration: {greeting: moin}
                        env: {GREETING: moin}
                        """);
                started = System.nanoTime();
                assertThat(cli.ok("workloads", "deploy", "-f", workload.toString(), "-o", "json").json().path("name").asText()).isEqualTo("hello");
                cli.watchUntil(line -> {
                    JsonNode change = EdgeplaneCli.Result.json(line);
                    return change.path("object").path("name").asText().equals("hello")
                            && change.path("object").path("state").asText().equals("running");
                }, SETTLE, "workloads", "list", "-w", "-o", "json");
                System.out.printf("e2e: deploy to running, seen by workloads list -w, in %d ms%n", millisSince(started));
                assertThat(edge.httpGet("http://" + edge.address() + ":" + HELLO_PORT + "/").orThrow().stdout()).contains("hello from");
                assertThat(cli.ok("workloads", "list").stdout()).contains("hello").contains("running");

                // Undeploy, then delete the device and the cluster, each waited for.
                cli.ok("workloads", "undeploy", "hello");
                awaitNotFound(cli, SETTLE, "workloads", "get", "hello");
                cli.ok(JOIN, "devices", "delete", "edge-1", "--wait", "--timeout", "5m");
                cli.ok(CLUSTER, "clusters", "delete", "line", "--wait", "--timeout", "3m");
                assertThat(cli.run("clusters", "get", "line").exitCode()).isEqualTo(4);
                assertThat(cli.ok("audit", "-o", "json").json().path("items").toString()).contains("acme");

                // An unreachable server.
                EdgeplaneCli.Result unreachable = cli.run("", Duration.ofMinutes(1), Map.of("EDGEPLANE_SERVER", "http://127.0.0.1:1",
                        "EDGEPLANE_TOKEN", "t"), "projects", "list");
                assertThat(unreachable.exitCode()).isEqualTo(5);
                assertThat(unreachable.stderr()).contains("cannot reach http://127.0.0.1:1");
            }
        }
    }

    private static String deviceYaml(Device edge) throws Exception {
        String key = Files.readString(edge.sshPrivateKey());
        StringBuilder yaml = new StringBuilder("""
                name: edge-1
                os: debian-12
                arch: %s
                labels: {site: lab}
                ssh:
                  host: %s
                  user: root
                  hostKeyFingerprint: %s
                  credential:
                    privateKey: |
                """.formatted(arch(), edge.address(), edge.hostKeyFingerprint()));
        key.lines().forEach(line -> yaml.append("        ").append(line).append('\n'));
        return yaml.toString();
    }

    private static String appYaml(String image) {
        return """
                name: hello
                version: '1'
                title: Hello
                description: answers GET / with its host name
                containers:
                  - name: web
                    image: %s
                    env: {PORT: '8080'}
                    ports: [{name: http, containerPort: 8080, hostPort: %d, protocol: TCP}]
                    resources: {cpuRequest: 10m, memoryLimit: 64Mi}
                inputs: []
                outputs: []
                defaultConfiguration: {greeting: hello}
                configurationSchema: {type: object, properties: {greeting: {type: string}}}
                """.formatted(image, HELLO_PORT);
    }

    private static void awaitNotFound(EdgeplaneCli cli, Duration timeout, String... args) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        EdgeplaneCli.Result last = null;
        while (System.nanoTime() < deadline) {
            last = cli.run(args);
            if (last.exitCode() == 4) {
                return;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("still there: " + last);
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }
}
