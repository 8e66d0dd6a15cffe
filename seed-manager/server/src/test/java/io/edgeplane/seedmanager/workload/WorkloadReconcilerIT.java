package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.app.AppSpec;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsClient;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.edgeplane.testbed.KubernetesBinaries;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResourceList;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.dsl.NonNamespaceOperation;
import io.fabric8.kubernetes.client.dsl.Resource;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.micronaut.serde.ObjectMapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The workload reconciler against a real tenant cluster (process runtime: etcd, apiserver,
 * controller-manager, scheduler; no kubelet). A node object stands in for the device and is kept
 * Ready by the test; pods therefore never run, but every object the reconciler writes is real.
 * Workload rows are written directly, as the API would.
 */
class WorkloadReconcilerIT {
    private static final String NS = WorkloadPods.NAMESPACE;

    @TempDir
    Path dir;

    @AfterEach
    void killLeftoverComponents() {
        String clusters = dir.resolve("data").resolve("clusters").toString();
        ProcessHandle.allProcesses().filter(p -> commandLine(p.pid()).contains(clusters)).forEach(ProcessHandle::destroyForcibly);
    }

    private static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }

    @Test
    void deployStopStageApplyAndDeleteBecomeExactlyTheseObjects() throws Exception {
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        Path binariesRoot = binaries.dir().getParent().getParent();
        ScheduledExecutorService heartbeat = Executors.newSingleThreadScheduledExecutor();
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"),
                Map.of("edgeplane.kubernetes.binaries-dir", binariesRoot.toString()))) {
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
            String cluster = "/api/v1/projects/acme/clusters/line";
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"store-hamburg-01\"}")
                    .status()).isEqualTo(202);
            await("cluster Running", Duration.ofSeconds(180), () -> "Running".equals(seed.get(ADMIN_TOKEN, cluster).json().path("phase").asText()));
            var line = seed.context().getBean(ClusterRepository.class).findByProjectAndName("acme", "line").orElseThrow();
            try (ClusterConnections.Connection connection = seed.context().getBean(ClusterConnections.class).open(line)) {
                KubernetesClient tenant = connection.client();
                tenant.nodes().resource(new NodeBuilder().withNewMetadata().withName("edge-1")
                        .addToLabels("kubernetes.io/hostname", "edge-1").endMetadata().build()).create();
                heartbeat.scheduleWithFixedDelay(() -> ready(tenant, "edge-1"), 0, 5, TimeUnit.SECONDS);
                // As for a device that joined: its object exists before any workload, and must survive the last one's removal.
                new DeviceWorkloadsClient(tenant).ensureDevice("edge-1");
                // Nor is there a MachineDeployment whose reconciler would mark its onboarding check passed: marked as it would be.
                new DeviceWorkloadsClient(tenant).applyOnboarding("edge-1", Map.of("request", 1, "image", "reg.lab/pause:3.10"), 1L);

                ObjectMapper json = seed.context().getBean(ObjectMapper.class);
                String clusterId = scalar(seed, "SELECT id FROM clusters WHERE name = 'line'");
                WorkloadSpec v1 = spec("1", "hi");
                String hash1 = WorkloadSpecs.hash(v1);
                update(seed, """
                        INSERT INTO workloads (id, cluster_id, name, title, app_name, app_version, live_spec, run, state, status)
                        VALUES ('w1', ?, 'hello', 'Hello', 'hello', '1', ?, true, 'pending_deploy', '{}')""",
                        clusterId, json.writeValueAsString(v1));

                // Deploy: the device's DeviceWorkloads gets the workload's entry, and the device the right to read it.
                Map<String, Object> entry = awaitValue("entry", Duration.ofSeconds(30), () -> entry(tenant, "edge-1", "hello"));
                assertThat(tenant.namespaces().withName(NS).get()).isNotNull();
                assertThat(entry).containsEntry("generation", 1).containsEntry("run", true).containsEntry("hostPorts", true);
                Map<String, Object> live = map(entry.get("live"));
                assertThat(live).containsEntry("specHash", hash1).containsEntry("version", "1")
                        .containsEntry("config", WorkloadSpecs.configurationFile(v1)).containsEntry("images", v1.images());
                assertThat((String) live.get("pod")).contains("name: \"hello-" + hash1 + "\"", "kubernetes.io/hostname: \"edge-1\"",
                        "node.kubernetes.io/unreachable", "path: \"/var/lib/edgeplane/workloads/hello/" + hash1 + "\"");
                assertThat(tenant.apps().deployments().inNamespace(NS).list().getItems()).as("no Deployments any more").isEmpty();
                await("deploying, no device has reported", Duration.ofSeconds(20),
                        () -> row(seed, "state").equals("deploying") && row(seed, "observed_generation").equals("1"));

                // The device sees its own object only, and writes its own status only (the apiserver's RBAC, as the node).
                try (KubernetesClient device = asNode(connection, "edge-1")) {
                    assertThat(devices(device).withName("edge-1").get()).isNotNull();
                    assertThatThrownBy(() -> devices(device).withName("edge-2").get()).hasMessageContaining("Forbidden");
                    report(device, "edge-1", List.of(workload("hello", 1, hash1, true, "running")), List.of());
                    await("running, as the agent reports", Duration.ofSeconds(20), () -> row(seed, "state").equals("running"));

                    // Stop by the operator: the entry says so; stopped once the device reports it.
                    update(seed, "UPDATE workloads SET run = false, state = 'pending_stop', generation = generation + 1, next_reconcile_at = now()");
                    await("entry stopped", Duration.ofSeconds(20), () -> Boolean.FALSE.equals(entry(tenant, "edge-1", "hello").get("run")));
                    report(device, "edge-1", List.of(workload("hello", 2, hash1, false, "stopped")), List.of());
                    await("stopped", Duration.ofSeconds(30), () -> row(seed, "state").equals("stopped"));

                    // Started on the device with its local command: adopted, audited as the device's, acknowledged.
                    report(device, "edge-1", List.of(workload("hello", 2, hash1, true, "running")),
                            List.of(action(1, "hello", "start", 2, "maintenance shift")));
                    await("adopted", Duration.ofSeconds(20), () -> row(seed, "run").equals("t") && acknowledged(tenant, "edge-1") == 1);
                    assertThat(entry(tenant, "edge-1", "hello")).as("pushed before acknowledged").containsEntry("run", true)
                            .containsEntry("generation", 3);
                    assertThat(scalar(seed, "SELECT outcome FROM device_actions WHERE seq = 1")).isEqualTo("adopted");
                    assertThat(scalar(seed, "SELECT actor || ' ' || result FROM audit_events WHERE action LIKE 'DEVICE start%'"))
                            .isEqualTo("device:acme/line/edge-1 adopted");
                    await("status shows it", Duration.ofSeconds(20), () -> row(seed, "status").contains("\"deviceActions\":[{\"node\":\"edge-1\""));

                    // A stop the device made before it heard of an operator's change is a conflict: the operator's state stays.
                    update(seed, "UPDATE workloads SET title = 'Hello!', generation = generation + 1, next_reconcile_at = now()");
                    await("generation 4 pushed", Duration.ofSeconds(20), () -> Integer.valueOf(4).equals(entry(tenant, "edge-1", "hello").get("generation")));
                    report(device, "edge-1", List.of(workload("hello", 3, hash1, false, "stopped")), List.of(
                            action(1, "hello", "start", 2, "maintenance shift"), action(2, "hello", "stop", 3, "leak")));
                    await("conflict decided", Duration.ofSeconds(20), () -> acknowledged(tenant, "edge-1") == 2);
                    assertThat(scalar(seed, "SELECT outcome FROM device_actions WHERE seq = 2")).isEqualTo("conflict");
                    assertThat(row(seed, "run")).as("the operator's state was kept").isEqualTo("t");
                    report(device, "edge-1", List.of(workload("hello", 4, hash1, true, "running")), List.of());
                }

                // Stage v2 with instant apply: a pre-pull pod on the device; once its images are present, v2 goes live.
                WorkloadSpec v2 = spec("2", "hello again");
                String hash2 = WorkloadSpecs.hash(v2);
                update(seed, """
                        UPDATE workloads SET staged_spec = ?, staged_app_version = '2', staged_state = 'received',
                               staged_instantly_apply = true, staged_request = 'r1', generation = generation + 1, next_reconcile_at = now()""",
                        json.writeValueAsString(v2));
                Pod prePull = awaitValue("pre-pull pod", Duration.ofSeconds(20),
                        () -> tenant.pods().inNamespace(NS).withName("hello-edge-1-prepull-" + hash2).get());
                assertThat(prePull.getSpec().getNodeName()).isEqualTo("edge-1");
                assertThat(prePull.getSpec().getRestartPolicy()).isEqualTo("Never");
                assertThat(prePull.getSpec().getContainers()).singleElement().satisfies(c -> {
                    assertThat(c.getImage()).isEqualTo(v2.images().get(0));
                    assertThat(c.getCommand()).containsExactly("/dev/null/edgeplane-prepull");
                });
                await("downloading", Duration.ofSeconds(20), () -> row(seed, "staged_state").equals("downloading"));
                await("the staged version is in the entry too, for a local apply", Duration.ofSeconds(20),
                        () -> hash2.equals(map(entry(tenant, "edge-1", "hello").get("staged")).get("specHash")));
                assertThat(row(seed, "status")).contains("\"state\":\"pending\"");

                // What the kubelet reports once the image is there and the container failed to start.
                prePull.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("image-0")
                        .withImage(v2.images().get(0)).withImageID("10.222.0.1:5000/edgeplane/hello-http@sha256:" + "0".repeat(64))
                        .withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withReason("StartError").withExitCode(128).endTerminated().endState().build()));
                tenant.pods().resource(prePull).updateStatus();
                await("v2 applied and pushed", Duration.ofSeconds(30),
                        () -> hash2.equals(map(entry(tenant, "edge-1", "hello").get("live")).get("specHash")));
                assertThat(entry(tenant, "edge-1", "hello")).doesNotContainKey("staged").containsEntry("run", true);
                assertThat(row(seed, "staged_spec")).isEqualTo("null");
                assertThat(row(seed, "app_version")).isEqualTo("2");
                await("pre-pull pod gone", Duration.ofSeconds(20),
                        () -> tenant.pods().inNamespace(NS).withLabel("edgeplane.io/prepull").list().getItems().isEmpty());

                // Delete: the entry, the pre-pull pods, then the row.
                update(seed, "UPDATE workloads SET delete_requested = true, next_reconcile_at = now()");
                await("row gone", Duration.ofSeconds(20), () -> scalar(seed, "SELECT count(*) FROM workloads").equals("0"));
                assertThat(entry(tenant, "edge-1", "hello")).isNull();
                assertThat(devices(tenant).withName("edge-1").get()).as("the device keeps its object").isNotNull();
                assertThat(tenant.pods().inNamespace(NS).withLabel("edgeplane.io/prepull").list().getItems()).isEmpty();
            } finally {
                heartbeat.shutdownNow();
            }
            assertThat(seed.delete(ADMIN_TOKEN, cluster).status()).isEqualTo(202);
            await("cluster gone", Duration.ofSeconds(60), () -> seed.get(ADMIN_TOKEN, cluster).status() == 404);
        }
    }

    private static WorkloadSpec spec(String version, String greeting) {
        return new WorkloadSpec("hello", version, List.of(new AppSpec.Container("web", "10.222.0.1:5000/edgeplane/hello-http:" + version,
                Map.of("PORT", "8080"), List.of(new AppSpec.Port("http", 8080, 18080, "TCP")), null)),
                Map.of("greeting", greeting), List.of("edge-1"));
    }

    /** Plays the kubelet's heartbeat: the node stays Ready. */
    private static void ready(KubernetesClient tenant, String name) {
        try {
            Node node = tenant.nodes().withName(name).get();
            String now = Instant.now().toString().replaceAll("\\.\\d+Z$", "Z");
            node.setStatus(new io.fabric8.kubernetes.api.model.NodeStatusBuilder().addNewCondition().withType("Ready").withStatus("True")
                    .withReason("KubeletReady").withLastHeartbeatTime(now).withLastTransitionTime(now).endCondition().build());
            tenant.nodes().resource(node).updateStatus();
        } catch (RuntimeException e) {
            System.err.println("heartbeat: " + e);
        }
    }

    private static NonNamespaceOperation<GenericKubernetesResource, GenericKubernetesResourceList, Resource<GenericKubernetesResource>> devices(
            KubernetesClient client) {
        return client.genericKubernetesResources(DeviceWorkloadsResource.CONTEXT).inNamespace(NS);
    }

    /** The workload's entry in the device's DeviceWorkloads, or null. */
    private static Map<String, Object> entry(KubernetesClient tenant, String node, String workload) {
        GenericKubernetesResource object = devices(tenant).withName(node).get();
        if (object == null) {
            return null;
        }
        Object entries = map(object.getAdditionalProperties().get("spec")).get("workloads");
        return entries instanceof List<?> list ? list.stream().map(WorkloadReconcilerIT::map)
                .filter(e -> workload.equals(e.get("name"))).findFirst().orElse(null) : null;
    }

    private static long acknowledged(KubernetesClient tenant, String node) {
        Object seq = map(devices(tenant).withName(node).get().getAdditionalProperties().get("spec")).get("actionsAcknowledged");
        return seq instanceof Number n ? n.longValue() : 0;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : Map.of();
    }

    /** A client that authenticates as the tenant admin and acts as the device's node identity (the apiserver checks it as that user). */
    private static KubernetesClient asNode(ClusterConnections.Connection connection, String node) {
        Config config = new ConfigBuilder(connection.client().getConfiguration()).withImpersonateUsername("system:node:" + node)
                .withImpersonateGroups("system:nodes", "system:authenticated").build();
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    /** What the device agent writes: its whole status, as a merge patch of the status subresource. */
    private static void report(KubernetesClient device, String node, List<Map<String, Object>> workloads, List<Map<String, Object>> actions) {
        Map<String, Object> status = new LinkedHashMap<>();
        status.put("agentVersion", "test");
        status.put("heartbeatTime", Instant.now().toString());
        status.put("workloads", workloads);
        status.put("actions", actions);
        devices(device).withName(node).subresource("status").patch(new PatchContext.Builder().withPatchType(PatchType.JSON_MERGE)
                .withFieldManager(DeviceWorkloadsResource.AGENT_MANAGER).build(), Serialization.asJson(Map.of("status", status)));
    }

    private static Map<String, Object> workload(String name, long generation, String hash, boolean run, String state) {
        return Map.of("name", name, "generation", generation, "specHash", hash, "version", "1", "run", run, "state", state, "message", "");
    }

    private static Map<String, Object> action(long seq, String workload, String action, long basedOn, String cause) {
        return Map.of("seq", seq, "workload", workload, "action", action, "at", "2026-12-06T10:00:0" + seq + "Z", "cause", cause,
                "basedOnGeneration", basedOn);
    }

    private static List<String> names(List<? extends io.fabric8.kubernetes.api.model.HasMetadata> objects) {
        return objects.stream().map(o -> o.getMetadata().getName()).sorted().toList();
    }

    private static String row(SeedManagerInstance seed, String column) {
        return scalar(seed, "SELECT " + column + " FROM workloads WHERE id = 'w1'");
    }

    private static String scalar(SeedManagerInstance seed, String sql) {
        try (Connection connection = seed.jdbc(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            return rows.next() ? String.valueOf(rows.getString(1)) : null;
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static void update(SeedManagerInstance seed, String sql, String... parameters) throws Exception {
        try (Connection connection = seed.jdbc(); PreparedStatement statement = connection.prepareStatement(sql)) {
            for (int i = 0; i < parameters.length; i++) {
                statement.setString(i + 1, parameters[i]);
            }
            statement.executeUpdate();
        }
    }

    private static void await(String what, Duration timeout, Supplier<Boolean> condition) throws InterruptedException {
        awaitValue(what, timeout, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null);
    }

    private static <T> T awaitValue(String what, Duration timeout, Supplier<T> value) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        RuntimeException last = null;
        while (System.nanoTime() < deadline) {
            try {
                T found = value.get();
                if (found != null) {
                    return found;
                }
            } catch (RuntimeException e) {
                last = e;
            }
            Thread.sleep(300);
        }
        throw new AssertionError("timed out waiting for " + what, last);
    }
}
