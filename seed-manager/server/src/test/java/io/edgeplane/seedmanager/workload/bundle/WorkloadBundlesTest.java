package io.edgeplane.seedmanager.workload.bundle;

import io.edgeplane.seedmanager.app.AppSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpec;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class WorkloadBundlesTest {
    private static final WorkloadSpec SPEC = new WorkloadSpec("hello", "1",
            List.of(new AppSpec.Container("web", "r.example/hello:1", Map.of(), List.of(), null)), Map.of(), List.of("edge-1"));

    @Test
    void theSandboxImageTravelsWithTheWorkloadSoThatADeviceThatNeverRanAPodCanStartIt() {
        assertThat(WorkloadBundles.bundledImages(SPEC, "r.example/pause:3.10")).containsExactly("r.example/hello:1", "r.example/pause:3.10");
    }

    @Test
    void withoutAConfiguredSandboxImageOnlyTheWorkloadsImagesAreBundled() {
        assertThat(WorkloadBundles.bundledImages(SPEC, null)).containsExactly("r.example/hello:1");
        assertThat(WorkloadBundles.bundledImages(SPEC, "r.example/hello:1")).containsExactly("r.example/hello:1");
    }
}
