package io.edgeplane.seedmanager.cluster.controlplane.flags;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class EtcdFlagsTest implements GoldenSource {

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(new GoldenCase("etcd-flags", getClass(),
                () -> GoldenFiles.flags(EtcdFlags.build(SampleSpecs.single(), SampleSpecs.PROCESS_PKI, SampleSpecs.processEtcd()))));
    }

    @Test
    void clientsAndPeersMustPresentCertificatesFromTheEtcdCa() {
        List<String> flags = EtcdFlags.build(SampleSpecs.single(), SampleSpecs.PROCESS_PKI, SampleSpecs.processEtcd());
        String pki = SampleSpecs.PROCESS_PKI.pkiDir();

        assertThat(flags).contains(
                "--client-cert-auth=true",
                "--peer-client-cert-auth=true",
                "--trusted-ca-file=" + pki + "/etcd/ca.crt",
                "--peer-trusted-ca-file=" + pki + "/etcd/ca.crt",
                "--cert-file=" + pki + "/etcd/server.crt",
                "--key-file=" + pki + "/etcd/server.key",
                "--peer-cert-file=" + pki + "/etcd/peer.crt",
                "--peer-key-file=" + pki + "/etcd/peer.key");
        assertThat(flags).filteredOn(f -> f.contains("-urls=") && !f.startsWith("--listen-metrics-urls="))
                .allSatisfy(f -> assertThat(f).doesNotContain("http://"));
    }

    @Test
    void clusterTokenIsTheClusterSoTenantsNeverJoinEachOther() {
        assertThat(EtcdFlags.build(SampleSpecs.single(), SampleSpecs.PROCESS_PKI, SampleSpecs.processEtcd()))
                .contains("--initial-cluster-token=cluster-acme-edge-1", "--initial-cluster=etcd=https://127.0.0.1:32380");
    }

    @Test
    void metricsListenerIsOptional() {
        EtcdEndpoints noMetrics = EtcdEndpoints.singleMember("etcd", "/data", "https://127.0.0.1:2379",
                "https://127.0.0.1:2380", null);

        assertThat(EtcdFlags.build(SampleSpecs.single(), SampleSpecs.PROCESS_PKI, noMetrics))
                .noneMatch(f -> f.startsWith("--listen-metrics-urls="));
    }
}
