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
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.ResourceDefinitionContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fleet health on three devices of the test bed. The onboarding check: a device whose registry it cannot reach fails
 * its check and gets none of a workload deployed to all three, while the other two run it; once the registry is
 * reachable again the device passes on its own and runs it too; an operator's request runs the check again without
 * touching what the device runs.
 */
class FleetHealthE2E {
    private static final Duration SETTLE = Duration.ofMinutes(3);
    private static final ResourceDefinitionContext DEVICE_WORKLOADS = new ResourceDefinitionContext.Builder()
            .withGroup("edgeplane.io").withVersion("v1alpha1").withKind("DeviceWorkloads").withPlural("deviceworkloads")
            .withNamespaced(true).build();

    @TempDir
    Path dir;

    @AfterEach
    void killLeftoverComponents() {
        Clusters.killComponentsOf(dir.resolve("data"));
    }

    @Test
    void aDeviceGetsWorkOnlyOnceItPassesItsOnboardingCheck() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            String hello = TestImages.helloHttp(registry);
            Path data = dir.resolve("data");
            Files.writeString(SeedManagerInstance.exampleSeed(data), EdgeDevices.seed(host, registry.hostPort(), TestImages.pause(registry)));
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of(
                    "edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()));
                 Device edge1 = Device.create("edge-1"); Device edge2 = Device.create("edge-2"); Device edge3 = Device.create("edge-3")) {
                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
                String cluster = "/api/v1/projects/acme/clusters/line";
                Reply created = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"lab\"}");
                assertThat(created.status()).as(created.toString()).isEqualTo(202);
                Clusters.awaitPhase(seed, cluster, "Running", Duration.ofMinutes(2));
                String machines = cluster + "/machinedeployments";

                // edge-3 cannot reach the registry: its own firewall refuses it (the devices share the host's clock, so the
                // clock check's judgement is the device agent's unit tests').
                String blockRegistry = "OUTPUT -p tcp -d " + host + " --dport " + registry.hostPort().replaceAll(".*:", "")
                        + " -j REJECT --reject-with tcp-reset";
                run(edge3, "iptables -w 5 -I " + blockRegistry);
                List<Long> onboardedIn = new ArrayList<>();
                for (Device edge : List.of(edge1, edge2, edge3)) {
                    EdgeDevices.sharesTheHostKernel(edge);
                    CommandResult provisioned = EdgeDevices.provisionByHand(seed, machines, edge);
                    assertThat(provisioned.exitCode()).as(provisioned.stdout() + provisioned.stderr()).isZero();
                }
                for (Device edge : List.of(edge1, edge2)) {
                    Clusters.awaitPhase(seed, machines + "/" + edge.name(), "Ready", Duration.ofMinutes(4));
                    long ready = System.nanoTime();
                    JsonNode passed = TunnelE2E.await(seed, machines + "/" + edge.name(), "Onboarded", m -> "True".equals(onboarded(m).path("status").asText()));
                    onboardedIn.add((System.nanoTime() - ready) / 1_000_000);
                    assertThat(passed.path("onboardedRequest").asLong()).isEqualTo(1);
                    assertThat(condition(passed, "ImageRuns").path("message").asText()).contains("pulled " + TestImages.pause(registry));
                    assertThat(condition(passed, "ServingCertificateIssued").path("status").asText()).isEqualTo("True");
                }
                System.out.printf("e2e: Ready to Onboarded (the check on the device, its report, the seed's verdict): %s ms%n", onboardedIn);
                Clusters.awaitPhase(seed, machines + "/edge-3", "Ready", Duration.ofMinutes(4));
                JsonNode failed = TunnelE2E.await(seed, machines + "/edge-3", "its image check failed",
                        m -> "False".equals(condition(m, "ImageRuns").path("status").asText()));
                System.out.printf("e2e: edge-3 without its registry: %s%n", onboarded(failed).path("message").asText());
                assertThat(condition(failed, "ImageRuns").path("message").asText()).contains("cannot pull " + TestImages.pause(registry));
                assertThat(onboarded(failed).path("status").asText()).isEqualTo("False");
                assertThat(failed.path("onboardedRequest").isNull()).isTrue();
                CommandResult local = edge3.exec(List.of("/usr/local/bin/edgeplane-device", "status"), Map.of(), Duration.ofSeconds(20));
                assertThat(local.stdout()).as("the local command on the device").contains("onboarding check:").contains("image:")
                        .contains("FAILED: the container runtime cannot pull");

                // A workload for all three: edge-1 and edge-2 run it; edge-3 gets nothing, and the workload says why.
                WorkloadApi api = new WorkloadApi(seed, "acme", "line");
                assertThat(api.registerApp("beacon", "1", hello, null).status()).isEqualTo(201);
                Reply deployed = api.deploy("beacon", "beacon", "1", List.of("edge-1", "edge-2", "edge-3"), "beacon", false, true);
                assertThat(deployed.status()).as(deployed.toString()).isEqualTo(202);
                JsonNode waiting = api.await("beacon", "running on edge-1 and edge-2, edge-3 held", w -> state(w, "edge-1").equals("running")
                        && state(w, "edge-2").equals("running") && node(w, "edge-3").path("message").asText().contains("onboarding check"), SETTLE);
                System.out.printf("e2e: the workload while edge-3 is held: %s: %s%n", waiting.path("state").asText(),
                        node(waiting, "edge-3").path("message").asText());
                assertThat(node(waiting, "edge-3").path("message").asText()).contains("cannot pull");
                Path kubeconfig = dir.resolve("line.kubeconfig");
                Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, cluster + "/kubeconfig").body());
                try (KubernetesClient tenant = TenantClient.of(kubeconfig)) {
                    GenericKubernetesResource object = tenant.genericKubernetesResources(DEVICE_WORKLOADS).inNamespace(WorkloadApi.NAMESPACE)
                            .withName("edge-3").get();
                    assertThat(((Map<?, ?>) object.getAdditionalProperties().get("spec")).get("workloads")).as("edge-3 gets nothing").isNull();
                }

                // The registry reachable again: the device's next check passes by itself, and the workload reaches it.
                run(edge3, "iptables -w 5 -D " + blockRegistry);
                long fixed = System.nanoTime();
                TunnelE2E.await(seed, machines + "/edge-3", "Onboarded", m -> "True".equals(onboarded(m).path("status").asText()));
                long passedAfter = (System.nanoTime() - fixed) / 1_000_000;
                api.await("beacon", "running on all three", w -> w.path("state").asText().equals("running")
                        && state(w, "edge-3").equals("running"), SETTLE);
                System.out.printf("e2e: registry back to edge-3 Onboarded in %d ms, to the workload running there in %d ms%n",
                        passedAfter, (System.nanoTime() - fixed) / 1_000_000);

                // The operator asks for the check again: it runs anew, and what edge-1 runs keeps running.
                Reply again = seed.post(ADMIN_TOKEN, machines + "/edge-1/onboarding-check", null);
                assertThat(again.status()).as(again.toString()).isEqualTo(202);
                assertThat(again.json().path("onboardingRequest").asLong()).isEqualTo(2);
                long asked = System.nanoTime();
                TunnelE2E.await(seed, machines + "/edge-1", "request 2 passed", m -> m.path("onboardedRequest").asLong() == 2);
                System.out.printf("e2e: a check asked for again passed in %d ms%n", (System.nanoTime() - asked) / 1_000_000);
                assertThat(state(api.get("beacon"), "edge-1")).isEqualTo("running");

                assertThat(seed.delete(ADMIN_TOKEN, cluster).status()).isEqualTo(202);
                Clusters.awaitGone(seed, cluster, Duration.ofMinutes(1));
            }
        }
    }

    private static void run(Device device, String command) throws Exception {
        CommandResult result = device.exec(List.of("sh", "-c", command), Map.of(), Duration.ofSeconds(20));
        assertThat(result.exitCode()).as(command + ": " + result.stdout() + result.stderr()).isZero();
    }

    static JsonNode condition(JsonNode device, String type) {
        for (JsonNode c : device.path("conditions")) {
            if (type.equals(c.path("type").asText())) {
                return c;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    static JsonNode onboarded(JsonNode device) {
        return condition(device, "Onboarded");
    }

    private static JsonNode node(JsonNode workload, String name) {
        for (JsonNode n : workload.path("nodeStates")) {
            if (name.equals(n.path("node").asText())) {
                return n;
            }
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    private static String state(JsonNode workload, String name) {
        return node(workload, name).path("state").asText();
    }
}
