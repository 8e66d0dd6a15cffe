package io.edgeplane.seedmanager.metrics;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.Test;

import java.util.HashSet;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** The dashboard imports into Grafana and reads exactly the metrics the seed manager declares (MetricsIT sees them exposed). */
class GrafanaDashboardTest {
    private final GrafanaDashboard dashboard = GrafanaDashboard.load();

    @Test
    void everyMetricTheDashboardReadsIsDeclared() {
        Set<String> used = dashboard.metricNames();
        assertThat(used).isNotEmpty().allMatch(name -> name.startsWith("edgeplane_"));
        assertThat(MetricNames.PROMETHEUS).containsAll(used);
    }

    @Test
    void everyDeclaredMetricHasAPanel() {
        Set<String> used = dashboard.metricNames();
        for (String family : Set.of("edgeplane_reconcile_duration_seconds", "edgeplane_reconcile_errors_total",
                "edgeplane_reconcile_due_rows", "edgeplane_reconcile_due_oldest_age_seconds", "edgeplane_clusters",
                "edgeplane_devices", "edgeplane_workloads", "edgeplane_ssh_deliveries_total")) {
            assertThat(used).as(family).anyMatch(name -> name.startsWith(family));
        }
    }

    @Test
    void isAnImportableDashboard() {
        JsonNode json = dashboard.json();
        assertThat(json.path("uid").asText()).isEqualTo("edgeplane-seed-manager");
        assertThat(json.path("title").asText()).isNotBlank();
        assertThat(json.path("schemaVersion").asInt()).isPositive();
        assertThat(json.path("__inputs").get(0).path("pluginId").asText()).isEqualTo("prometheus");
        Set<Integer> ids = new HashSet<>();
        for (JsonNode panel : json.path("panels")) {
            assertThat(ids.add(panel.path("id").asInt())).as("unique panel id " + panel.path("id")).isTrue();
            assertThat(panel.path("type").asText()).isIn("timeseries", "stat");
            assertThat(panel.path("datasource").path("uid").asText()).isEqualTo("${datasource}");
            assertThat(panel.path("gridPos").path("w").asInt()).isBetween(1, 24);
            assertThat(panel.path("targets")).isNotEmpty();
            panel.path("targets").forEach(target -> assertThat(target.path("refId").asText()).isNotBlank());
        }
    }

    @Test
    void metricNamesAreReadFromPromQl() {
        assertThat(GrafanaDashboard.metricNames(
                "histogram_quantile(0.95, sum by (kind, le) (rate(edgeplane_reconcile_duration_seconds_bucket{instance=~\"$instance\"}[5m])))"))
                .containsExactly("edgeplane_reconcile_duration_seconds_bucket");
        assertThat(GrafanaDashboard.metricNames("label_values(edgeplane_clusters, instance)")).containsExactly("edgeplane_clusters");
        assertThat(GrafanaDashboard.metricNames("sum(a_metric) / on (kind) b_metric")).containsExactly("a_metric", "b_metric");
    }
}
