package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.app.AppSpec;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.edgeplane.testbed.KubernetesBinaries;
import io.fabric8.kubernetes.api.model.ContainerStatusBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Toleration;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
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
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

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

                ObjectMapper json = seed.context().getBean(ObjectMapper.class);
                String clusterId = scalar(seed, "SELECT id FROM clusters WHERE name = 'line'");
                WorkloadSpec v1 = spec("1", "hi");
                String hash1 = WorkloadSpecs.hash(v1);
                update(seed, """
                        INSERT INTO workloads (id, cluster_id, name, title, app_name, app_version, live_spec, run, state, status)
                        VALUES ('w1', ?, 'hello', 'Hello', 'hello', '1', ?, true, 'pending_deploy', '{}')""",
                        clusterId, json.writeValueAsString(v1));

                // Deploy: namespace, the version's ConfigMap, a Deployment pinned to the device.
                Deployment deployment = awaitValue("deployment", Duration.ofSeconds(30),
                        () -> tenant.apps().deployments().inNamespace(NS).withName("hello-edge-1").get());
                assertThat(tenant.namespaces().withName(NS).get()).isNotNull();
                assertThat(deployment.getSpec().getReplicas()).isEqualTo(1);
                assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("edgeplane.io/spec-hash", hash1);
                assertThat(deployment.getSpec().getTemplate().getSpec().getNodeSelector()).containsEntry("kubernetes.io/hostname", "edge-1");
                assertThat(deployment.getSpec().getTemplate().getSpec().getTolerations())
                        .filteredOn(t -> "NoExecute".equals(t.getEffect())).extracting(Toleration::getKey)
                        .containsExactlyInAnyOrder("node.kubernetes.io/unreachable", "node.kubernetes.io/not-ready");
                assertThat(names(tenant.configMaps().inNamespace(NS).withLabel(WorkloadPods.WORKLOAD_LABEL, "hello").list().getItems()))
                        .containsExactly("hello-" + hash1);
                assertThat(tenant.configMaps().inNamespace(NS).withName("hello-" + hash1).get().getData().get("app.yaml"))
                        .isEqualTo(WorkloadSpecs.configurationFile(v1));
                await("deploying, its pod cannot be scheduled", Duration.ofSeconds(20),
                        () -> row(seed, "state").equals("deploying") && row(seed, "observed_generation").equals("1"));
                assertThat(row(seed, "status")).contains("\"node\":\"edge-1\"").contains("\"state\":\"deploying\"");

                // Stop: replicas 0, then stopped once no pod is left.
                update(seed, "UPDATE workloads SET run = false, state = 'pending_stop', generation = generation + 1, next_reconcile_at = now()");
                await("replicas 0", Duration.ofSeconds(20),
                        () -> tenant.apps().deployments().inNamespace(NS).withName("hello-edge-1").get().getSpec().getReplicas() == 0);
                await("stopped", Duration.ofSeconds(30), () -> row(seed, "state").equals("stopped"));

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
                assertThat(row(seed, "state")).as("the live version is untouched").isEqualTo("stopped");
                assertThat(row(seed, "status")).contains("\"state\":\"pending\"");

                // What the kubelet reports once the image is there and the container failed to start.
                prePull.getStatus().setContainerStatuses(List.of(new ContainerStatusBuilder().withName("image-0")
                        .withImage(v2.images().get(0)).withImageID("10.222.0.1:5000/edgeplane/hello-http@sha256:" + "0".repeat(64))
                        .withReady(false).withRestartCount(0)
                        .withNewState().withNewTerminated().withReason("StartError").withExitCode(128).endTerminated().endState().build()));
                tenant.pods().resource(prePull).updateStatus();
                await("v2 applied and pushed", Duration.ofSeconds(30), () -> tenant.apps().deployments().inNamespace(NS).withName("hello-edge-1")
                        .get().getSpec().getTemplate().getMetadata().getAnnotations().get("edgeplane.io/spec-hash").equals(hash2));
                assertThat(tenant.apps().deployments().inNamespace(NS).withName("hello-edge-1").get().getSpec().getReplicas())
                        .as("apply starts it").isEqualTo(1);
                assertThat(row(seed, "staged_spec")).isEqualTo("null");
                assertThat(row(seed, "app_version")).isEqualTo("2");
                await("pre-pull pod gone", Duration.ofSeconds(20),
                        () -> tenant.pods().inNamespace(NS).withLabel("edgeplane.io/prepull").list().getItems().isEmpty());
                await("old ConfigMap gone", Duration.ofSeconds(20), () -> names(tenant.configMaps().inNamespace(NS)
                        .withLabel(WorkloadPods.WORKLOAD_LABEL, "hello").list().getItems()).equals(List.of("hello-" + hash2)));

                // Delete: every object, then the row.
                update(seed, "UPDATE workloads SET delete_requested = true, next_reconcile_at = now()");
                await("row gone", Duration.ofSeconds(20), () -> scalar(seed, "SELECT count(*) FROM workloads").equals("0"));
                assertThat(tenant.apps().deployments().inNamespace(NS).list().getItems()).isEmpty();
                assertThat(tenant.configMaps().inNamespace(NS).withLabel(WorkloadPods.MANAGED_BY_LABEL, WorkloadPods.MANAGED_BY).list().getItems())
                        .isEmpty();
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
