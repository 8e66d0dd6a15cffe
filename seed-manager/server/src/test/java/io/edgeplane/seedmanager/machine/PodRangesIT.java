package io.edgeplane.seedmanager.machine;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.IntStream;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Pod ranges against a real seed manager and its real PostgreSQL (no binaries: clusters never come
 * up, which pod ranges do not need): the cluster's podCidr checked by field, shown and fixed; each
 * device the lowest free /24, unique under concurrent claims, freed with its row; a full cluster
 * refusing more; devices and clusters from before ranges existed getting theirs.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PodRangesIT {
    private static final String CLUSTERS = "/api/v1/projects/acme/clusters";

    @TempDir
    static Path dir;
    private SeedManagerInstance seed;

    @BeforeAll
    void start() {
        seed = SeedManagerInstance.start(dir.resolve("data"), Map.of("edgeplane.kubernetes.binaries-dir", dir.resolve("none").toString()));
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
    }

    @AfterAll
    void stop() {
        seed.close();
    }

    @Test
    void aClustersPodCidrIsCheckedByFieldShownAndNeverChanged() throws Exception {
        for (String bad : List.of("\"fd00:10:244::/56\"", "\"10.96.0.0/12\"", "\"10.250.0.0/23\"", "\"10.244.1.0/14\"",
                "\"127.0.0.0/8\"", "\"\"", "42")) {
            Reply refused = seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"pods\",\"datacenter\":\"factory-bremen\",\"podCidr\":" + bad + "}");
            assertThat(refused.status()).as(bad + " " + refused).isEqualTo(422);
            assertThat(fields(refused)).as(bad + " " + refused).containsExactly("podCidr");
        }
        Reply overlapping = seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"pods\",\"datacenter\":\"factory-bremen\",\"podCidr\":\"10.96.0.0/12\"}");
        assertThat(overlapping.body()).contains("overlaps the cluster's service range 10.96.0.0/16");
        assertThat(seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"pods\",\"datacenter\":\"factory-bremen\",\"podCidr\":\"10.250.0.0/23\"}")
                .body()).contains("between /8 and /22");
        assertThat(count("SELECT count(*) FROM clusters WHERE name = 'pods'")).isZero();

        Reply plain = seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"plain\",\"datacenter\":\"factory-bremen\"}");
        assertThat(plain.status()).as(plain.toString()).isEqualTo(202);
        assertThat(plain.json().path("podCidr").asText()).isEqualTo("10.244.0.0/14");
        assertThat(seed.get(ADMIN_TOKEN, CLUSTERS + "/plain").json().path("podCidr").asText()).isEqualTo("10.244.0.0/14");

        Reply own = seed.post(ADMIN_TOKEN, CLUSTERS, "{\"name\":\"pods\",\"datacenter\":\"factory-bremen\",\"podCidr\":\"172.20.0.0/16\"}");
        assertThat(own.status()).as(own.toString()).isEqualTo(202);
        assertThat(own.json().path("podCidr").asText()).isEqualTo("172.20.0.0/16");
        assertThat(seed.get(ADMIN_TOKEN, CLUSTERS).body()).contains("\"podCidr\":\"172.20.0.0/16\"");

        // Fixed, like every setting but the version: a change is an unknown field of the only change there is.
        Reply change = seed.send(ADMIN_TOKEN, "PATCH", CLUSTERS + "/pods", "{\"version\":\"v1.36.3\",\"podCidr\":\"172.21.0.0/16\"}");
        assertThat(change.status()).as(change.toString()).isEqualTo(422);
        assertThat(fields(change)).containsExactly("podCidr");
        assertThat(seed.get(ADMIN_TOKEN, CLUSTERS + "/pods").json().path("podCidr").asText()).isEqualTo("172.20.0.0/16");

        // A cluster from before pod ranges (written without one, as the rows the changeset found) has the default.
        update("""
                INSERT INTO clusters (id, project, name, datacenter, version, phase, next_reconcile_at)
                VALUES ('cbefore', 'acme', 'before', 'factory-bremen', 'v1.36.3', 'Failed', now() + interval '1 day')""");
        assertThat(seed.get(ADMIN_TOKEN, CLUSTERS + "/before").json().path("podCidr").asText()).isEqualTo("10.244.0.0/14");
    }

    @Test
    void devicesGetTheLowestFreeSlash24KeepItAndAFullClusterRefusesMore() throws Exception {
        String machines = cluster("small", "10.250.0.0/22") + "/machinedeployments";
        List<Future<Reply>> creations = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            CountDownLatch go = new CountDownLatch(1);
            for (int i = 1; i <= 4; i++) {
                String body = "{\"name\":\"edge-" + i + "\",\"os\":\"debian-12\",\"arch\":\"amd64\"}";
                creations.add(pool.submit(() -> {
                    go.await();
                    return seed.post(ADMIN_TOKEN, machines, body);
                }));
            }
            go.countDown();
            Set<String> given = new TreeSet<>();
            for (Future<Reply> creation : creations) {
                Reply created = creation.get();
                assertThat(created.status()).as(created.toString()).isEqualTo(201);
                given.add(created.json().path("podCidr").asText());
            }
            assertThat(given).containsExactly("10.250.0.0/24", "10.250.1.0/24", "10.250.2.0/24", "10.250.3.0/24");
        } finally {
            pool.shutdownNow();
        }
        String first = seed.get(ADMIN_TOKEN, machines + "/edge-1").json().path("podCidr").asText();
        assertThat(first).startsWith("10.250.");
        JsonNode listed = seed.get(ADMIN_TOKEN, machines).json().path("items");
        assertThat(listed).hasSize(4);
        listed.forEach(m -> assertThat(m.path("podCidr").asText()).as(m.toString()).matches("10\\.250\\.[0-3]\\.0/24"));

        Reply full = seed.post(ADMIN_TOKEN, machines, "{\"name\":\"edge-5\",\"os\":\"debian-12\",\"arch\":\"amd64\"}");
        assertThat(full.status()).as(full.toString()).isEqualTo(409);
        assertThat(full.json().path("detail").asText()).contains("podCidr 10.250.0.0/22", "holds 4 devices", "all 4 are taken");
        assertThat(seed.get(ADMIN_TOKEN, machines + "/edge-5").status()).as("nothing created").isEqualTo(404);

        // The row going (the reconciler's last step of a deprovision) frees its range, and the next device gets it.
        update("DELETE FROM machine_deployments WHERE name = 'edge-1'");
        assertThat(count("SELECT count(*) FROM machine_pod_cidrs WHERE cidr = '" + first + "'")).isZero();
        Reply again = seed.post(ADMIN_TOKEN, machines, "{\"name\":\"edge-6\",\"os\":\"debian-12\",\"arch\":\"amd64\"}");
        assertThat(again.status()).as(again.toString()).isEqualTo(201);
        assertThat(again.json().path("podCidr").asText()).isEqualTo(first);
    }

    @Test
    void concurrentClaimsNeverHandOutOneRangeTwice() throws Exception {
        cluster("busy", "10.252.0.0/20");
        Cluster busy = seed.context().getBean(ClusterRepository.class).findByProjectAndName("acme", "busy").orElseThrow();
        List<MachineDeployment> devices = new ArrayList<>();
        for (int i = 0; i < 16; i++) {
            devices.add(deviceFromBeforeRanges(busy.id(), "busy-" + i));
        }
        PodRanges ranges = seed.context().getBean(PodRanges.class);

        // Eight threads ask for every device at once, each in its own order: as many replicas and passes racing.
        int threads = 8;
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        Map<String, Set<String>> answers = new HashMap<>();
        try {
            CountDownLatch go = new CountDownLatch(1);
            List<Future<Map<String, String>>> runs = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                List<MachineDeployment> order = new ArrayList<>(devices);
                Collections.shuffle(order, new Random(t));
                Callable<Map<String, String>> run = () -> {
                    go.await();
                    Map<String, String> got = new HashMap<>();
                    for (MachineDeployment device : order) {
                        got.put(device.name(), ranges.ensure(device, busy));
                    }
                    return got;
                };
                runs.add(pool.submit(run));
            }
            go.countDown();
            for (Future<Map<String, String>> run : runs) {
                run.get().forEach((device, cidr) -> answers.computeIfAbsent(device, d -> new TreeSet<>()).add(cidr));
            }
        } finally {
            pool.shutdownNow();
        }
        answers.forEach((device, cidrs) -> assertThat(cidrs).as("one range per device: " + device).hasSize(1));
        Set<String> handedOut = new TreeSet<>();
        answers.values().forEach(handedOut::addAll);
        assertThat(handedOut).as("no range twice").hasSize(16)
                .containsExactlyInAnyOrderElementsOf(IntStream.range(0, 16).mapToObj(i -> "10.252." + i + ".0/24").toList());
        assertThat(count("SELECT count(*) FROM machine_pod_cidrs WHERE cluster_id = '" + busy.id() + "'")).isEqualTo(16);

        MachineDeployment extra = deviceFromBeforeRanges(busy.id(), "busy-16");
        assertThatThrownBy(() -> ranges.ensure(extra, busy)).isInstanceOf(ConflictException.class)
                .hasMessageContaining("podCidr 10.252.0.0/20").hasMessageContaining("holds 16 devices");
    }

    @Test
    void aDeviceFromBeforeRangesGetsOneOnItsNextReconcile() throws Exception {
        cluster("older", "10.253.0.0/16");
        Cluster older = seed.context().getBean(ClusterRepository.class).findByProjectAndName("acme", "older").orElseThrow();
        MachineDeployment device = deviceFromBeforeRanges(older.id(), "old-device");
        assertThat(seed.get(ADMIN_TOKEN, CLUSTERS + "/older/machinedeployments/old-device").json().path("podCidr").isNull())
                .as("none yet").isTrue();
        update("UPDATE machine_deployments SET next_reconcile_at = now() WHERE id = '" + device.id() + "'");
        for (int i = 0; i < 100 && count("SELECT count(*) FROM machine_pod_cidrs WHERE machine_deployment_id = '" + device.id() + "'") == 0; i++) {
            Thread.sleep(100);
        }
        assertThat(seed.get(ADMIN_TOKEN, CLUSTERS + "/older/machinedeployments/old-device").json().path("podCidr").asText())
                .isEqualTo("10.253.0.0/24");
    }

    /** Creates a cluster by the API; its MachineDeployments path. */
    private String cluster(String name, String podCidr) {
        Reply created = seed.post(ADMIN_TOKEN, CLUSTERS,
                "{\"name\":\"" + name + "\",\"datacenter\":\"factory-bremen\",\"podCidr\":\"" + podCidr + "\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        return CLUSTERS + "/" + name;
    }

    /** A device row as the rows the changeset found: no pod range, and not due for a reconcile. */
    private MachineDeployment deviceFromBeforeRanges(String clusterId, String name) throws Exception {
        String id = "m-" + name;
        update("INSERT INTO machine_deployments (id, cluster_id, name, os, arch, phase, next_reconcile_at)"
                + " VALUES ('" + id + "', '" + clusterId + "', '" + name + "', 'debian-12', 'amd64', 'Pending', now() + interval '1 day')");
        return seed.context().getBean(MachineDeploymentRepository.class).findById(id).orElseThrow();
    }

    private static List<String> fields(Reply reply) {
        List<String> fields = new ArrayList<>();
        reply.json().path("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    private void update(String sql) throws Exception {
        try (Connection connection = seed.jdbc(); PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.executeUpdate();
        }
    }

    private long count(String sql) throws Exception {
        try (Connection connection = seed.jdbc(); PreparedStatement statement = connection.prepareStatement(sql);
             ResultSet rows = statement.executeQuery()) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
