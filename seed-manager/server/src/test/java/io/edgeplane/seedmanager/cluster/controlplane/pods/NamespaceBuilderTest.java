package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenCase;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenFiles;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenSource;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SampleSpecs;
import io.edgeplane.seedmanager.datacenter.ExposeStrategy;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class NamespaceBuilderTest implements GoldenSource {

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(new GoldenCase("namespace", getClass(), () -> GoldenFiles.yaml(NamespaceBuilder.build(SampleSpecs.single()))));
    }

    @Test
    void namespaceIsClusterProjectCluster() {
        assertThat(NamespaceBuilder.build(SampleSpecs.single()).getMetadata().getName()).isEqualTo("cluster-acme-edge-1");
    }

    @Test
    void longNamesAreCutToADnsLabelAndStayUnique() {
        String project = "p".repeat(40);
        ControlPlaneSpec a = spec(project, "c".repeat(40));
        ControlPlaneSpec b = spec(project, "c".repeat(39) + "d");

        assertThat(a.namespace()).hasSizeLessThanOrEqualTo(63).matches("[a-z0-9]([-a-z0-9]*[a-z0-9])?")
                .startsWith("cluster-ppp").isNotEqualTo(b.namespace());
        assertThat(a.namespace()).isEqualTo(spec(project, "c".repeat(40)).namespace());
    }

    @Test
    void labelsNameProjectAndClusterAndEnforceRestrictedPods() {
        assertThat(NamespaceBuilder.build(SampleSpecs.single()).getMetadata().getLabels())
                .containsEntry("edgeplane.io/project", "acme")
                .containsEntry("edgeplane.io/cluster", "cluster-acme-edge-1")
                .containsEntry("pod-security.kubernetes.io/enforce", "restricted");
    }

    private static ControlPlaneSpec spec(String project, String cluster) {
        return new ControlPlaneSpec(project, cluster, "v1.36.3", "203.0.113.10", 6443, null, false, 1,
                ExposeStrategy.NODE_PORT, SampleSpecs.IMAGES, null);
    }
}
