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
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static io.edgeplane.e2e.EdgeDevices.arch;
import static io.edgeplane.e2e.EdgeDevices.runScript;
import static io.edgeplane.e2e.EdgeDevices.seed;
import static io.edgeplane.e2e.EdgeDevices.sharesTheHostKernel;
import static io.edgeplane.e2e.EdgeDevices.ssh;
import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Edge devices joining a process-runtime cluster through the admin API: one provisioned over SSH
 * with its pinned host key, one by a person running the fetched script. Both become Ready with
 * their names, labels and taints, and get serving certificates; a forged serving CSR is left
 * unapproved; a wrong host key runs nothing; running the script again changes nothing; a device cut
 * off turns NotReady and back; deleting one removes its node and its bootstrap token stops working.
 */
class MachineDeploymentE2E {
    private static final Duration JOIN = Duration.ofMinutes(4);
    private static final Pattern TOKEN = Pattern.compile("[a-z0-9]{6}\\.[a-z0-9]{16}");

    @TempDir
    Path dir;

    @AfterEach
    void killLeftoverComponents() {
        Clusters.killComponentsOf(dir.resolve("data"));
    }

    @Test
    void devicesJoinOverSshAndByHandAndLeaveCleanly() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            Path data = dir.resolve("data");
            Files.writeString(SeedManagerInstance.exampleSeed(data), seed(host, registry.hostPort(), TestImages.pause(registry)));
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of(
                    "edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()));
                 Device edge1 = Device.create("edge-1");
                 Device edge2 = Device.create("edge-2")) {
                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
                String cluster = "/api/v1/projects/acme/clusters/line";
                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"lab\"}").status())
                        .isEqualTo(202);
                Clusters.awaitPhase(seed, cluster, "Running", Duration.ofMinutes(2));
                String machines = cluster + "/machinedeployments";
                sharesTheHostKernel(edge1);
                sharesTheHostKernel(edge2);

                // Device 1 over SSH, its host key pinned.
                long started = System.nanoTime();
                Reply created = seed.post(ADMIN_TOKEN, machines, "{\"name\":\"edge-1\",\"os\":\"debian-12\",\"arch\":\"" + arch() + "\","
                        + "\"labels\":{\"site\":\"bremen\"},\"taints\":[{\"key\":\"edgeplane.io/line\",\"value\":\"2\",\"effect\":\"NoSchedule\"}],"
                        + "\"ssh\":" + ssh(edge1.address(), edge1.hostKeyFingerprint(), edge1) + "}");
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                assertThat(created.body()).doesNotContain("PRIVATE KEY");
                assertThat(seed.post(ADMIN_TOKEN, machines + "/edge-1/provision", "").status()).isEqualTo(202);
                Clusters.awaitPhase(seed, machines + "/edge-1", "Ready", JOIN);
                System.out.printf("e2e: device over SSH, provision request to Ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);
                String log = seed.get(ADMIN_TOKEN, machines + "/edge-1/provisioning-log").body();
                assertThat(log).contains("[register]");
                assertThat(TOKEN.matcher(log).find()).as("no bootstrap token in the provisioning log").isFalse();

                // A device of the other architecture: its kubelet is prepared on first need. This seed
                // manager fetches nothing (binaries from its directory only), so the script waits and says why.
                String otherArch = arch().equals("amd64") ? "arm64" : "amd64";
                assertThat(seed.post(ADMIN_TOKEN, machines, "{\"name\":\"edge-other\",\"os\":\"debian-12\",\"arch\":\""
                        + otherArch + "\"}").status()).isEqualTo(201);
                Reply waits = seed.get(ADMIN_TOKEN, machines + "/edge-other/provisioning-script");
                assertThat(waits.status()).as(waits.toString()).isEqualTo(503);
                assertThat(waits.contentType()).startsWith("application/problem+json");
                assertThat(waits.body()).contains("the provisioning script of edge-other waits for its binaries")
                        .contains("linux-" + otherArch).doesNotContain("null").doesNotContain("#!/");
                assertThat(seed.delete(ADMIN_TOKEN, machines + "/edge-other").status()).isEqualTo(202);

                // Device 2 by hand: the script fetched through the API and run on the device as root.
                assertThat(seed.post(ADMIN_TOKEN, machines, "{\"name\":\"edge-2\",\"os\":\"debian-12\",\"arch\":\"" + arch() + "\"}")
                        .status()).isEqualTo(201);
                Reply script = seed.get(ADMIN_TOKEN, machines + "/edge-2/provisioning-script");
                assertThat(script.status()).as(script.toString()).isEqualTo(200);
                assertThat(script.contentType()).startsWith("text/x-shellscript");
                assertThat(script.body()).doesNotContain("curl -k").doesNotContain("--insecure");
                started = System.nanoTime();
                CommandResult firstRun = runScript(edge2, script.body());
                assertThat(firstRun.exitCode()).as(firstRun.stderr()).isZero();
                Clusters.awaitPhase(seed, machines + "/edge-2", "Ready", JOIN);
                System.out.printf("e2e: device by hand, script start to Ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);

                Path kubeconfig = dir.resolve("line.kubeconfig");
                Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, cluster + "/kubeconfig").body());
                try (KubernetesClient tenant = TenantClient.of(kubeconfig)) {
                    Node node1 = tenant.nodes().withName("edge-1").get();
                    assertThat(node1.getMetadata().getLabels()).containsEntry("site", "bremen");
                    assertThat(node1.getSpec().getTaints()).anySatisfy(t -> {
                        assertThat(t.getKey()).isEqualTo("edgeplane.io/line");
                        assertThat(t.getEffect()).isEqualTo("NoSchedule");
                    });
                    assertThat(tenant.nodes().withName("edge-2").get()).isNotNull();

                    Clusters.awaitField(seed, machines + "/edge-1", "servingCertificate", "Issued", Duration.ofMinutes(1));
                    Clusters.awaitField(seed, machines + "/edge-2", "servingCertificate", "Issued", Duration.ofMinutes(1));

                    String apiserver = tenant.getMasterUrl().toString();
                    assertThatThrownBy(() -> ForgedCsr.submitAs(edge1, apiserver, "edge-2", "edge-2", edge2.address()))
                            .as("the apiserver itself refuses a node asking in another node's name").hasMessageContaining("forbidden");
                    String forged = ForgedCsr.submitAs(edge1, apiserver, "edge-1", "edge-2", edge2.address());
                    Thread.sleep(15_000);   // more than one reconcile pass of edge-1
                    assertThat(ForgedCsr.isApproved(tenant, forged)).as("a serving CSR for another node's name").isFalse();
                    assertThat(seed.get(ADMIN_TOKEN, machines + "/edge-1").json().path("servingCertificate").asText())
                            .contains("Refused").contains(forged);
                }

                // Running the script again changes and restarts nothing.
                long kubelet = pid(edge2, "kubelet");
                CommandResult again = runScript(edge2, seed.get(ADMIN_TOKEN, machines + "/edge-2/provisioning-script").body());
                assertThat(again.exitCode()).as(again.stderr()).isZero();
                assertThat(again.stdout() + again.stderr()).contains("nothing changed");
                assertThat(pid(edge2, "kubelet")).isEqualTo(kubelet);

                // A wrong host key: refused before anything runs.
                assertThat(seed.post(ADMIN_TOKEN, machines, "{\"name\":\"edge-3\",\"os\":\"debian-12\",\"arch\":\"" + arch() + "\","
                        + "\"ssh\":" + ssh(edge2.address(), edge1.hostKeyFingerprint(), edge1) + "}").status()).isEqualTo(201);
                assertThat(seed.post(ADMIN_TOKEN, machines + "/edge-3/provision", "").status()).isEqualTo(202);
                JsonNode refused = Clusters.awaitPhase(seed, machines + "/edge-3", "Failed", Duration.ofMinutes(1));
                assertThat(refused.path("message").asText()).contains("host key mismatch")
                        .contains(edge1.hostKeyFingerprint()).contains(edge2.hostKeyFingerprint()).contains("nothing was run");
                assertThat(pid(edge2, "kubelet")).as("nothing ran on the device").isEqualTo(kubelet);
                assertThat(seed.delete(ADMIN_TOKEN, machines + "/edge-3").status()).isEqualTo(202);

                // Cut off, the device's node turns NotReady; back on the network, Ready again.
                edge1.cutOff();
                started = System.nanoTime();
                Clusters.awaitPhase(seed, machines + "/edge-1", "NotReady", Duration.ofMinutes(3));
                System.out.printf("e2e: cut-off device NotReady after %d ms%n", (System.nanoTime() - started) / 1_000_000);
                edge1.reconnect();
                Clusters.awaitPhase(seed, machines + "/edge-1", "Ready", Duration.ofMinutes(2));

                // Deleting removes the node, and the device's bootstrap token stops authenticating.
                Matcher token = TOKEN.matcher(script.body());
                assertThat(token.find()).isTrue();
                String endpoint = seed.get(ADMIN_TOKEN, cluster).json().path("endpoint").asText();
                assertThat(TenantClient.statusWithToken(endpoint, kubeconfig, token.group())).isEqualTo(200);
                assertThat(seed.delete(ADMIN_TOKEN, machines + "/edge-2").status()).isEqualTo(202);
                Clusters.awaitGone(seed, machines + "/edge-2", Duration.ofMinutes(2));
                try (KubernetesClient tenant = TenantClient.of(kubeconfig)) {
                    assertThat(tenant.nodes().withName("edge-2").get()).as("node removed").isNull();
                }
                // The apiserver caches successful token authentications for 10 s.
                int status = 200;
                for (int i = 0; i < 40 && status != 401; i++) {
                    Thread.sleep(500);
                    status = TenantClient.statusWithToken(endpoint, kubeconfig, token.group());
                }
                assertThat(status).as("the deleted device's bootstrap token").isEqualTo(401);

                // A device reached over SSH is also cleaned up: the deprovision script runs on it.
                assertThat(seed.delete(ADMIN_TOKEN, machines + "/edge-1").status()).isEqualTo(202);
                Clusters.awaitGone(seed, machines + "/edge-1", Duration.ofMinutes(2));
                assertThat(pid(edge1, "kubelet")).as("the deprovisioned device runs no kubelet").isZero();
                assertThat(seed.delete(ADMIN_TOKEN, cluster).status()).isEqualTo(202);
                Clusters.awaitGone(seed, cluster, Duration.ofMinutes(1));
            }
        }
    }

    private static long pid(Device device, String process) {
        CommandResult result = device.exec("pgrep", "-x", process);
        return result.exitCode() == 0 ? Long.parseLong(result.stdout().trim().split("\\s+")[0]) : 0;
    }
}
