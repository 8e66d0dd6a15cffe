package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Work beside the control plane (kubeconfigs, devices, workloads) reads a cluster's PKI and ports;
 * only the cluster reconciler, under the cluster's lease, claims ports and writes PKI. The
 * binaries directory is empty, so no control plane starts.
 */
class ClusterTargetsIT {
    @TempDir
    Path dir;

    @Test
    void resolvingAndConnectingReadOnly() throws Exception {
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"),
                Map.of("edgeplane.kubernetes.binaries-dir", dir.resolve("no-binaries").toString()))) {
            ClusterTargets targets = seed.context().getBean(ClusterTargets.class);
            ClusterConnections connections = seed.context().getBean(ClusterConnections.class);
            ClusterRepository clusters = seed.context().getBean(ClusterRepository.class);
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);

            // A cluster the reconciler has not reached yet.
            update(seed, "INSERT INTO clusters (id, project, name, datacenter, version, phase, next_reconcile_at) VALUES "
                    + "('cnew', 'acme', 'new', 'factory-bremen', 'v1.36.3', 'Creating', now() + interval '1 day')");
            Cluster fresh = clusters.findById("cnew").orElseThrow();
            assertThatThrownBy(() -> targets.resolve(fresh)).hasMessageContaining("has no PKI yet");
            assertThatThrownBy(() -> connections.open(fresh)).hasMessageContaining("has no PKI yet");
            assertThat(count(seed, "SELECT count(*) FROM cluster_ports WHERE cluster_id = 'cnew'")).isZero();
            assertThat(count(seed, "SELECT count(*) FROM clusters WHERE id = 'cnew' AND pki IS NULL")).isOne();

            // A cluster the reconciler has given its PKI and ports.
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"factory-bremen\"}")
                    .status()).isEqualTo(202);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (count(seed, "SELECT count(*) FROM clusters c WHERE name = 'line' AND pki IS NOT NULL"
                    + " AND EXISTS (SELECT 1 FROM cluster_ports p WHERE p.cluster_id = c.id)") == 0) {
                assertThat(System.nanoTime()).as("the reconciler stores PKI and ports").isLessThan(deadline);
                Thread.sleep(100);
            }
            Cluster line = clusters.findByProjectAndName("acme", "line").orElseThrow();
            String ports = ports(seed, line.id());
            var target = targets.resolve(line);
            assertThat(target.pki().certificatePem("ca")).isNotBlank();
            ClusterConnections.Connection first = connections.open(line);
            ClusterConnections.Connection second = connections.open(clusters.findById(line.id()).orElseThrow());
            assertThat(second.client()).as("one kept client per cluster").isSameAs(first.client());
            assertThat(first.caPem()).isEqualTo(target.pki().certificatePem("ca"));
            assertThat(ports(seed, line.id())).isEqualTo(ports);
            assertThat(count(seed, "SELECT count(*) FROM clusters WHERE id = '" + line.id() + "' AND pki = '"
                    + line.pki().replace("'", "''") + "'")).as("PKI unchanged by reads").isOne();
        }
    }

    private static void update(SeedManagerInstance seed, String sql) throws Exception {
        try (Connection db = seed.jdbc(); Statement statement = db.createStatement()) {
            statement.executeUpdate(sql);
        }
    }

    private static String ports(SeedManagerInstance seed, String clusterId) throws Exception {
        StringBuilder ports = new StringBuilder();
        try (Connection db = seed.jdbc(); Statement statement = db.createStatement();
             ResultSet rows = statement.executeQuery("SELECT component, port FROM cluster_ports WHERE cluster_id = '" + clusterId
                     + "' ORDER BY component")) {
            while (rows.next()) {
                ports.append(rows.getString(1)).append('=').append(rows.getInt(2)).append(' ');
            }
        }
        return ports.toString();
    }

    private static long count(SeedManagerInstance seed, String sql) throws Exception {
        try (Connection db = seed.jdbc(); Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
