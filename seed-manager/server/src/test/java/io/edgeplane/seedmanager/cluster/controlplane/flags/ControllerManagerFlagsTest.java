package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.NodeHealth;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class ControllerManagerFlagsTest implements GoldenSource {

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(new GoldenCase("controller-manager-flags", getClass(),
                        () -> GoldenFiles.flags(build(SampleSpecs.single()))),
                new GoldenCase("controller-manager-flags-node-health", getClass(),
                        () -> GoldenFiles.flags(build(SampleSpecs.shortNodeHealth()))));
    }

    private static List<String> build(ControlPlaneSpec spec) {
        return ControllerManagerFlags.build(spec, SampleSpecs.PROCESS_PKI, "127.0.0.1", 32257);
    }

    @Test
    void signsKubeletCertificatesAndRunsTheBootstrapTokenControllers() {
        assertThat(build(SampleSpecs.single())).contains(
                "--controllers=*,bootstrapsigner,tokencleaner",
                "--cluster-signing-cert-file=" + SampleSpecs.PROCESS_PKI.caCert(),
                "--cluster-signing-key-file=" + SampleSpecs.PROCESS_PKI.caKey(),
                "--service-account-private-key-file=" + SampleSpecs.PROCESS_PKI.serviceAccountKey(),
                "--use-service-account-credentials=true",
                "--bind-address=127.0.0.1",
                "--secure-port=32257");
    }

    @Test
    void usesItsOwnKubeconfigForEverything() {
        String kubeconfig = SampleSpecs.PROCESS_PKI.controllerManagerKubeconfig();

        assertThat(build(SampleSpecs.single())).contains("--kubeconfig=" + kubeconfig,
                "--authentication-kubeconfig=" + kubeconfig, "--authorization-kubeconfig=" + kubeconfig);
    }

    @Test
    void nodeGracePeriodIsSetOnlyWhenTheClusterAsksForIt() {
        assertThat(build(SampleSpecs.single())).noneMatch(f -> f.startsWith("--node-monitor-grace-period"));
        assertThat(build(SampleSpecs.shortNodeHealth())).contains("--node-monitor-grace-period=20s");
        assertThat(build(SampleSpecs.single().withNodeHealth(new NodeHealth(null, 30))))
                .noneMatch(f -> f.startsWith("--node-monitor-grace-period"));
    }

    @Test
    void nodeHealthOutOfRangeIsRejected() {
        assertThatThrownBy(() -> new NodeHealth(9, null)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("gracePeriodSeconds");
        assertThatThrownBy(() -> new NodeHealth(null, 86_401)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("evictionSeconds");
    }

    @Test
    void electsALeaderOnlyWhenReplicated() {
        assertThat(build(SampleSpecs.single())).contains("--leader-elect=false");
        assertThat(build(SampleSpecs.highlyAvailable())).contains("--leader-elect=true");
    }
}
