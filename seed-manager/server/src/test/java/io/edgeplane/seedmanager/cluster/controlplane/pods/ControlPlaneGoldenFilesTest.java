package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.flags.ApiServerFlagsTest;
import io.edgeplane.seedmanager.cluster.controlplane.flags.ControllerManagerFlagsTest;
import io.edgeplane.seedmanager.cluster.controlplane.flags.EtcdFlagsTest;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenCase;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenFiles;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenSource;
import io.edgeplane.seedmanager.cluster.controlplane.flags.KubeconfigsTest;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SchedulerFlagsTest;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The golden directory as a whole: every file has a test that produces it (no orphans) and matches
 * what that test renders today (none stale). Runs every case itself, so it holds however the test
 * run is filtered.
 */
class ControlPlaneGoldenFilesTest {

    /** Every class owning golden files under golden/controlplane; a new one goes here too. */
    private static final List<GoldenSource> SOURCES = List.of(
            new EtcdFlagsTest(), new ApiServerFlagsTest(), new ControllerManagerFlagsTest(), new SchedulerFlagsTest(),
            new KubeconfigsTest(), new NamespaceBuilderTest(), new SecretBuildersTest(), new EtcdBuildersTest(),
            new ApiServerBuildersTest(), new ControllerManagerDeploymentBuilderTest(), new SchedulerDeploymentBuilderTest());

    private static List<GoldenCase> cases() {
        List<GoldenCase> cases = new ArrayList<>();
        SOURCES.forEach(source -> cases.addAll(source.goldenCases()));
        return cases;
    }

    @Test
    void namesAreUnique() {
        assertThat(cases()).extracting(GoldenCase::fileName).doesNotHaveDuplicates();
    }

    @Test
    void noOrphanedFiles() {
        Set<String> produced = new TreeSet<>();
        cases().forEach(golden -> produced.add(golden.fileName()));
        Set<String> orphans = new TreeSet<>(GoldenFiles.filesOnDisk());
        orphans.removeAll(produced);
        if (GoldenFiles.updating()) {
            orphans.forEach(GoldenFiles::delete);
            return;
        }
        assertThat(orphans).as("golden files no test produces (delete them, or regenerate: %s)", GoldenFiles.REGENERATE)
                .isEmpty();
    }

    @Test
    void noStaleOrMissingFiles() {
        List<String> stale = new ArrayList<>();
        for (GoldenCase golden : cases()) {
            try {
                GoldenFiles.check(golden);
            } catch (AssertionError e) {
                stale.add(golden.fileName());
            }
        }
        assertThat(stale).as("stale or missing golden files; regenerate: %s", GoldenFiles.REGENERATE).isEmpty();
    }
}
