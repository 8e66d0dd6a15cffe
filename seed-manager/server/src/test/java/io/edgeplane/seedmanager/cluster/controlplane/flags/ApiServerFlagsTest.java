package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.NodeHealth;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class ApiServerFlagsTest implements GoldenSource {

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(
                new GoldenCase("apiserver-flags", getClass(), () -> GoldenFiles.flags(build(SampleSpecs.single()))),
                new GoldenCase("apiserver-flags-audit", getClass(), () -> GoldenFiles.flags(build(SampleSpecs.highlyAvailable()))),
                new GoldenCase("apiserver-flags-node-health", getClass(), () -> GoldenFiles.flags(build(SampleSpecs.shortNodeHealth()))));
    }

    private static List<String> build(ControlPlaneSpec spec) {
        return ApiServerFlags.build(spec, SampleSpecs.PROCESS_PKI, SampleSpecs.processApiServer());
    }

    @Test
    void devicesCanJoinWithBootstrapTokensUnderNodeAuthorization() {
        assertThat(build(SampleSpecs.single())).contains(
                "--enable-bootstrap-token-auth=true",
                "--authorization-mode=Node,RBAC",
                "--enable-admission-plugins=NodeRestriction",
                "--client-ca-file=" + SampleSpecs.PROCESS_PKI.caCert());
    }

    @Test
    void bindsToTheGivenAddressNotToTheExternalOne() {
        // The external address may belong to a NAT or load balancer; the host cannot bind it.
        List<String> flags = build(SampleSpecs.single());

        assertThat(flags).contains("--bind-address=0.0.0.0", "--secure-port=32443");
        assertThat(flags).noneMatch(f -> f.startsWith("--bind-address=" + SampleSpecs.EXTERNAL_ADDRESS));
    }

    @Test
    void withoutAdvertiseAddressPublishesNoEndpoint() {
        ApiServerEndpoints pod = new ApiServerEndpoints("0.0.0.0", 6443, null, List.of("https://etcd:2379"), null, null, null,
                "/etc/kubernetes/encryption/encryption-config.yaml");

        assertThat(ApiServerFlags.build(SampleSpecs.single(), SampleSpecs.PROCESS_PKI, pod))
                .contains("--endpoint-reconciler-type=none")
                .noneMatch(f -> f.startsWith("--advertise-address="));
    }

    @Test
    void auditFlagsPresentIffAuditLogging() {
        for (ControlPlaneSpec spec : SampleSpecs.variants()) {
            List<String> auditFlags = build(spec).stream().filter(f -> f.startsWith("--audit-")).toList();
            if (spec.auditLogging()) {
                assertThat(auditFlags).extracting(f -> f.substring(0, f.indexOf('='))).containsExactly(
                        "--audit-log-maxage", "--audit-log-maxbackup", "--audit-log-maxsize", "--audit-log-path",
                        "--audit-policy-file");
            } else {
                assertThat(auditFlags).isEmpty();
            }
        }
    }

    @Test
    void defaultEvictionTimeoutsAreSetOnlyWhenTheClusterAsksForThem() {
        assertThat(build(SampleSpecs.single())).noneMatch(f -> f.startsWith("--default-not-ready-toleration-seconds")
                || f.startsWith("--default-unreachable-toleration-seconds"));
        assertThat(build(SampleSpecs.shortNodeHealth())).contains(
                "--default-not-ready-toleration-seconds=30", "--default-unreachable-toleration-seconds=30");
        assertThat(build(SampleSpecs.single().withNodeHealth(new NodeHealth(20, null))))
                .noneMatch(f -> f.startsWith("--default-not-ready-toleration-seconds"));
        assertThat(build(SampleSpecs.single().withNodeHealth(new NodeHealth(null, 0))))
                .contains("--default-not-ready-toleration-seconds=0", "--default-unreachable-toleration-seconds=0");
    }

    @Test
    void auditLoggingWithoutPathsIsRejected() {
        ApiServerEndpoints noAuditPaths = new ApiServerEndpoints("0.0.0.0", 6443, null, List.of("https://etcd:2379"), null, null, null,
                "/etc/kubernetes/encryption/encryption-config.yaml");

        assertThatThrownBy(() -> ApiServerFlags.build(SampleSpecs.highlyAvailable(), SampleSpecs.PROCESS_PKI, noAuditPaths))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("audit");
    }

    @Test
    void auditPolicyRecordsMetadataOnly() {
        assertThat(AuditPolicy.yaml())
                .startsWith("apiVersion: audit.k8s.io/v1\nkind: Policy\n")
                .contains("- level: Metadata\n")
                .doesNotContain("RequestResponse")
                .doesNotContain("level: Request\n");
    }
}
