package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class SchedulerFlagsTest implements GoldenSource {

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(new GoldenCase("scheduler-flags", getClass(), () -> GoldenFiles.flags(build(SampleSpecs.single()))));
    }

    private static List<String> build(ControlPlaneSpec spec) {
        return SchedulerFlags.build(spec, SampleSpecs.PROCESS_PKI, "127.0.0.1", 32259);
    }

    @Test
    void usesSchedulerKubeconfigAndElectsALeaderOnlyWhenReplicated() {
        String kubeconfig = SampleSpecs.PROCESS_PKI.schedulerKubeconfig();

        assertThat(build(SampleSpecs.single())).contains("--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig, "--authorization-kubeconfig=" + kubeconfig,
                "--leader-elect=false", "--bind-address=127.0.0.1", "--secure-port=32259");
        assertThat(build(SampleSpecs.highlyAvailable())).contains("--leader-elect=true");
    }
}
