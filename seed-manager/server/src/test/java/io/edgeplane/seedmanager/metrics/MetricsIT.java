package io.edgeplane.seedmanager.metrics;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The operator's metrics as Prometheus scrapes them from a real seed manager: every declared
 * name is exposed, every name the Grafana dashboard reads is among them, and the fleet gauges
 * count what is in the database. The binaries directory is empty, so the cluster never comes up
 * and no control plane starts.
 */
class MetricsIT {
    @TempDir
    Path dir;

    @Test
    void prometheusShowsTheReconcileAndFleetMetricsTheDashboardReads() throws Exception {
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"), Map.of(
                "edgeplane.kubernetes.binaries-dir", dir.resolve("no-binaries").toString(),
                "edgeplane.cluster.failure-timeout", "1h"))) {
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"factory-bremen\"}")
                    .status()).isEqualTo(202);
            String clusterId = single(seed, "SELECT id FROM clusters WHERE name = 'line'");
            try (Connection db = seed.jdbc(); Statement statement = db.createStatement()) {
                // A device and a workload as the API would record them; the cluster never runs, so they keep these.
                statement.executeUpdate("INSERT INTO machine_deployments (id, cluster_id, name, os, arch, phase) VALUES "
                        + "('m1', '" + clusterId + "', 'edge-1', 'ubuntu-24.04', 'amd64', 'Pending')");
                statement.executeUpdate("INSERT INTO workloads (id, cluster_id, name, title, app_name, state) VALUES "
                        + "('w1', '" + clusterId + "', 'web', 'Web', 'web', 'pending_deploy')");
            }

            Map<String, Double> scraped = awaitScrape(seed, metrics ->
                    metrics.getOrDefault("edgeplane_clusters{phase=\"Creating\"}", 0.0) == 1
                            && metrics.getOrDefault("edgeplane_devices{phase=\"Pending\"}", 0.0) == 1
                            && metrics.getOrDefault("edgeplane_workloads{state=\"pending_deploy\"}", 0.0) == 1
                            && metrics.getOrDefault("edgeplane_reconcile_duration_seconds_count{kind=\"cluster\"}", 0.0) > 0
                            && metrics.getOrDefault("edgeplane_reconcile_duration_seconds_count{kind=\"machine\"}", 0.0) > 0
                            && metrics.getOrDefault("edgeplane_reconcile_duration_seconds_count{kind=\"workload\"}", 0.0) > 0);

            Set<String> names = new TreeSet<>();
            scraped.keySet().forEach(series -> names.add(series.contains("{") ? series.substring(0, series.indexOf('{')) : series));
            assertThat(names).containsAll(MetricNames.PROMETHEUS);
            assertThat(names).as("the dashboard reads only exposed metrics").containsAll(GrafanaDashboard.load().metricNames());

            assertThat(scraped).containsEntry("edgeplane_clusters{phase=\"Failed\"}", 0.0)
                    .containsEntry("edgeplane_workloads{state=\"running\"}", 0.0)
                    .containsEntry("edgeplane_ssh_deliveries_total{operation=\"provision\",result=\"failed\"}", 0.0)
                    .containsKey("edgeplane_reconcile_due_rows{kind=\"machine\"}")
                    .containsKey("edgeplane_reconcile_due_oldest_age_seconds{kind=\"workload\"}")
                    .containsKey("edgeplane_reconcile_errors_total{kind=\"cluster\"}")
                    .containsKey("edgeplane_reconcile_duration_seconds_bucket{kind=\"cluster\",le=\"1.0\"}");
        }
    }

    /** Series (name with labels) to value, scraped until {@code ready} holds; the fleet gauges are cached for a few seconds. */
    private static Map<String, Double> awaitScrape(SeedManagerInstance seed, java.util.function.Predicate<Map<String, Double>> ready)
            throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        Map<String, Double> metrics;
        do {
            Reply reply = seed.get(ADMIN_TOKEN, "/prometheus");
            assertThat(reply.status()).isEqualTo(200);
            metrics = parse(reply.body());
            if (ready.test(metrics)) {
                return metrics;
            }
            Thread.sleep(500);
        } while (System.nanoTime() < deadline);
        throw new AssertionError("metrics never showed the fleet: " + metrics.entrySet().stream()
                .filter(e -> e.getKey().startsWith("edgeplane_")).toList());
    }

    private static Map<String, Double> parse(String exposition) {
        Map<String, Double> series = new HashMap<>();
        for (String line : exposition.split("\n")) {
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            int space = line.lastIndexOf(' ');
            series.put(line.substring(0, space), Double.parseDouble(line.substring(space + 1)));
        }
        return series;
    }

    private static String single(SeedManagerInstance seed, String sql) throws Exception {
        try (Connection db = seed.jdbc(); Statement statement = db.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getString(1);
        }
    }

}
