package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenCase;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenFiles;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenSource;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SampleSpecs;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class SchedulerDeploymentBuilderTest implements GoldenSource {

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(new GoldenCase("scheduler-deployment", getClass(),
                () -> GoldenFiles.yaml(SchedulerDeploymentBuilder.build(SampleSpecs.single()))));
    }

    @Test
    void mountsOnlyItsKubeconfig() {
        assertThat(ApiServerBuildersTest.pkiPaths(SchedulerDeploymentBuilder.build(SampleSpecs.single())))
                .containsExactly("scheduler.conf");
    }
}
