package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenCase;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenFiles;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenSource;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SampleSpecs;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class ControllerManagerDeploymentBuilderTest implements GoldenSource {

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(new GoldenCase("controller-manager-deployment", getClass(),
                () -> GoldenFiles.yaml(ControllerManagerDeploymentBuilder.build(SampleSpecs.single()))));
    }

    @Test
    void getsTheSigningKeyAndItsKubeconfigButNoOtherCaKey() {
        assertThat(ApiServerBuildersTest.pkiPaths(ControllerManagerDeploymentBuilder.build(SampleSpecs.single())))
                .containsExactly("ca.crt", "ca.key", "front-proxy-ca.crt", "sa.key", "controller-manager.conf");
    }

    @Test
    void withoutLeaderElectionTheOldPodStopsBeforeTheNewOneStarts() {
        Deployment single = ControllerManagerDeploymentBuilder.build(SampleSpecs.single());
        Deployment replicated = ControllerManagerDeploymentBuilder.build(SampleSpecs.highlyAvailable());

        assertThat(single.getSpec().getReplicas()).isEqualTo(1);
        assertThat(single.getSpec().getStrategy().getType()).isEqualTo("Recreate");
        assertThat(ApiServerBuildersTest.container(single).getCommand()).contains("--leader-elect=false");
        assertThat(replicated.getSpec().getReplicas()).isEqualTo(2);
        assertThat(replicated.getSpec().getStrategy().getType()).isEqualTo("RollingUpdate");
        assertThat(ApiServerBuildersTest.container(replicated).getCommand()).contains("--leader-elect=true");
    }

    @Test
    void podsCarryTheClustersNodeHealthTimeoutsLikeProcesses() {
        assertThat(ApiServerBuildersTest.container(ControllerManagerDeploymentBuilder.build(SampleSpecs.shortNodeHealth())).getCommand())
                .contains("--node-monitor-grace-period=20s");
        assertThat(ApiServerBuildersTest.container(ApiServerBuildersTest.deployment(SampleSpecs.shortNodeHealth())).getCommand())
                .contains("--default-not-ready-toleration-seconds=30", "--default-unreachable-toleration-seconds=30");
        assertThat(ApiServerBuildersTest.container(ControllerManagerDeploymentBuilder.build(SampleSpecs.single())).getCommand())
                .noneMatch(f -> f.startsWith("--node-monitor-grace-period"));
    }
}
