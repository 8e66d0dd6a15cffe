package io.edgeplane.seedmanager.chart;

import io.edgeplane.seedmanager.testing.GoldenDirectory;
import io.edgeplane.testbed.HelmBinary;
import io.edgeplane.testbed.ToolRun;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Helm chart (seed-manager/chart) with the real helm at its pin: it lints strictly, renders the
 * same objects every time (golden files), and its values schema refuses bad values by their path
 * before anything reaches a cluster. Offline: helm's homes stay in the test's directory.
 */
class SeedManagerChartIT {
    private static final String REGENERATE = "mvn -pl seed-manager/server verify -Dtest=none -Dit.test=SeedManagerChartIT "
            + "-Dsurefire.failIfNoSpecifiedTests=false -Dgolden.update=true";
    private static final GoldenDirectory GOLDEN = new GoldenDirectory("chart", REGENERATE);
    private static final Path CHART = Path.of(System.getProperty("basedir", ".")).resolve("../chart").normalize();
    private static final Path EXAMPLE = CHART.resolve("ci/example-values.yaml");
    private static HelmBinary helm;

    @TempDir
    static Path home;

    @BeforeAll
    static void helm() {
        helm = HelmBinary.ensure();
    }

    @Test
    void lintsStrictly() {
        ToolRun lint = helm("lint", "--strict", CHART.toString(), "-f", EXAMPLE.toString());
        assertThat(lint.succeeded()).as(lint.toString()).isTrue();
    }

    @Test
    void rendersTheSameEveryTimeAsItsGoldenFiles() {
        String example = template();
        assertThat(template()).as("rendered twice").isEqualTo(example);
        String scaled = template("--set", "replicas=3", "--set", "binaries.existingClaim=edgeplane-binaries",
                "--set", "serviceMonitor.enabled=true", "--api-versions", "monitoring.coreos.com/v1");
        String single = template("--set", "replicas=1");

        GOLDEN.check("example.yaml", GOLDEN.header(getClass()) + example);
        GOLDEN.check("three-replicas-shared-binaries-servicemonitor.yaml", GOLDEN.header(getClass()) + scaled);
        assertThat(GOLDEN.orphans(Set.of("example.yaml", "three-replicas-shared-binaries-servicemonitor.yaml"))).isEmpty();

        assertThat(kinds(example)).containsExactly("PodDisruptionBudget", "ServiceAccount", "ConfigMap", "ClusterRole",
                "ClusterRoleBinding", "Service", "Service", "Deployment");
        assertThat(kinds(single)).as("no disruption budget for one replica").doesNotContain("PodDisruptionBudget");
        assertThat(kinds(scaled)).contains("ServiceMonitor");
        assertThat(kinds(template("--set", "serviceMonitor.enabled=true"))).as("without the operator's CRD")
                .doesNotContain("ServiceMonitor");
        // The master key and admin token are the seed manager's to create: a chart that rendered them
        // would replace them on upgrade and delete them on uninstall.
        assertThat(example).doesNotContain("name: edgeplane-master-key").doesNotContain("name: edgeplane-admin-token");
    }

    @Test
    void badValuesAreRefusedByTheirPath() {
        assertRefused("replicas must be at least one", List.of("--set", "replicas=0"), "/replicas", "minimum");
        assertRefused("a misspelt key", List.of("--set", "replica=3"), "additional properties 'replica'");
        assertRefused("the process runtime", List.of("--set", "runtime=process"), "/runtime", "pods");
        assertRefused("no database", List.of("--set", "database.existingSecret="), "/database/existingSecret");
        assertRefused("no binaries for devices", List.of("--set", "binaries.existingClaim="), "/binaries/existingClaim", "minLength");
        assertRefused("a duration without unit", List.of("--set", "reconcileLease=60"), "/reconcileLease");
        assertRefused("no time to drain", List.of("--set", "shutdown.drainSeconds=0"), "/shutdown/drainSeconds", "minimum");
    }

    @Test
    void aReplicaLeavesTheEndpointsThenDrainsWithinItsGracePeriod() {
        String rendered = template("--set", "shutdown.endpointDelaySeconds=5", "--set", "shutdown.drainSeconds=30");
        assertThat(rendered).contains("terminationGracePeriodSeconds: 45").contains("seconds: 5")
                .contains("- name: EDGEPLANE_SHUTDOWN_DRAIN\n              value: \"30s\"");
        assertThat(template("--set", "shutdown.endpointDelaySeconds=0")).as("no preStop hook without a delay")
                .doesNotContain("lifecycle:").contains("terminationGracePeriodSeconds: 30");
    }

    private void assertRefused(String why, List<String> extra, String... messages) {
        List<String> args = new ArrayList<>(List.of("template", "edgeplane", CHART.toString(), "-n", "edgeplane",
                "-f", EXAMPLE.toString()));
        args.addAll(extra);
        ToolRun run = helm(args.toArray(String[]::new));
        assertThat(run.succeeded()).as(why).isFalse();
        assertThat(run.stderr()).as(why).contains(messages);
    }

    private String template(String... extra) {
        List<String> args = new ArrayList<>(List.of("template", "edgeplane", CHART.toString(), "-n", "edgeplane",
                "--kube-version", "1.36.3", "-f", EXAMPLE.toString()));
        args.addAll(List.of(extra));
        ToolRun run = helm(args.toArray(String[]::new));
        assertThat(run.succeeded()).as(run.toString()).isTrue();
        return run.stdout();
    }

    private static List<String> kinds(String rendered) {
        return rendered.lines().filter(l -> l.startsWith("kind: ")).map(l -> l.substring("kind: ".length())).toList();
    }

    private static ToolRun helm(String... args) {
        return helm.run(home, args);
    }
}
