package io.edgeplane.testbed;

import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The test-side tools helm and kube-bench, built (or given) at their pins, and usable without touching the user's home. */
class ToolBinariesIT {

    @Test
    void helmIsThePinnedVersionAndKeepsEverythingInTheHomeItIsGiven() {
        HelmBinary helm = HelmBinary.ensure();
        assertThat(helm.version()).isEqualTo(ComponentVersions.pinned().helm());
        Path home = TestBedRun.current().newDir("helm-home");

        String env = helm.run(home, "env").stdoutIfSucceeded();
        assertThat(env).contains("HELM_CACHE_HOME=\"" + home.resolve("cache") + "\"")
                .contains("HELM_CONFIG_HOME=\"" + home.resolve("config") + "\"")
                .contains("HELM_DATA_HOME=\"" + home.resolve("data") + "\"")
                .contains("HELM_REPOSITORY_CONFIG=\"" + home.resolve("config") + "/");

        // A real chart round trip, offline: scaffold, lint, render.
        Path chart = home.resolve("demo");
        helm.run(home, "create", chart.toString()).stdoutIfSucceeded();
        assertThat(helm.run(home, "lint", "--strict", chart.toString()).stdoutIfSucceeded()).contains("1 chart(s) linted, 0 chart(s) failed");
        assertThat(helm.run(home, "template", "demo", chart.toString()).stdoutIfSucceeded()).contains("kind: Deployment");
    }

    @Test
    void kubeBenchIsThePinnedVersionWithUpstreamsBenchmarkDefinitionsBesideIt() {
        KubeBenchBinary kubeBench = KubeBenchBinary.ensure();
        assertThat(kubeBench.version()).isEqualTo(ComponentVersions.pinned().kubeBench());
        assertThat(kubeBench.run(Map.of(), "version").stdoutIfSucceeded().strip()).isEqualTo(kubeBench.version());
        Path definitions = kubeBench.upstreamConfigDir();
        assertThat(definitions.resolve("cis-1.11/master.yaml")).isRegularFile();
        assertThat(Files.isWritable(definitions.resolve("cis-1.11/master.yaml"))).as("writable, to overlay audits").isTrue();
    }
}
