package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenCase;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenFiles;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenSource;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SampleSpecs;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

public class EtcdBuildersTest implements GoldenSource {

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(
                new GoldenCase("etcd-statefulset", getClass(), () -> GoldenFiles.yaml(EtcdStatefulSetBuilder.build(SampleSpecs.single()))),
                new GoldenCase("etcd-statefulset-ha", getClass(),
                        () -> GoldenFiles.yaml(EtcdStatefulSetBuilder.build(SampleSpecs.highlyAvailable()))),
                new GoldenCase("etcd-services", getClass(),
                        () -> GoldenFiles.yaml(EtcdServiceBuilder.build(SampleSpecs.single()).toArray())));
    }

    @Test
    void membersFindEachOtherByStableNamesUnderTheHeadlessService() {
        StatefulSet etcd = EtcdStatefulSetBuilder.build(SampleSpecs.highlyAvailable());

        assertThat(etcd.getSpec().getReplicas()).isEqualTo(3);
        assertThat(etcd.getSpec().getServiceName()).isEqualTo(EtcdServiceBuilder.headless(SampleSpecs.highlyAvailable())
                .getMetadata().getName());
        assertThat(etcd.getSpec().getPodManagementPolicy()).isEqualTo("Parallel");
        assertThat(etcd.getSpec().getTemplate().getSpec().getContainers().get(0).getCommand()).contains(
                "--initial-cluster=etcd-0=https://etcd-0.etcd.cluster-acme-edge-1.svc:2380,"
                        + "etcd-1=https://etcd-1.etcd.cluster-acme-edge-1.svc:2380,"
                        + "etcd-2=https://etcd-2.etcd.cluster-acme-edge-1.svc:2380",
                "--name=$(POD_NAME)",
                "--initial-advertise-peer-urls=https://$(POD_NAME).etcd.cluster-acme-edge-1.svc:2380");
        assertThat(EtcdServiceBuilder.headless(SampleSpecs.highlyAvailable()).getSpec().getPublishNotReadyAddresses()).isTrue();
    }

    @Test
    void eachMemberKeepsItsDataOnAOneGibClaim() {
        StatefulSet etcd = EtcdStatefulSetBuilder.build(SampleSpecs.single());

        assertThat(etcd.getSpec().getVolumeClaimTemplates()).singleElement().satisfies(claim -> {
            assertThat(claim.getSpec().getResources().getRequests().get("storage").toString()).isEqualTo("1Gi");
            assertThat(claim.getSpec().getStorageClassName()).isNull();
        });
    }

    @Test
    void mountsOnlyTheEtcdCertificatesAtTheirKubeadmPaths() {
        List<KeyToPath> items = etcdPkiItems(EtcdStatefulSetBuilder.build(SampleSpecs.single()));

        assertThat(items).extracting(KeyToPath::getPath).containsExactly(
                "etcd/ca.crt", "etcd/peer.crt", "etcd/peer.key", "etcd/server.crt", "etcd/server.key");
        assertThat(items).extracting(KeyToPath::getKey).containsExactly(
                "etcd-ca.crt", "etcd-peer.crt", "etcd-peer.key", "etcd-server.crt", "etcd-server.key");
    }

    @Test
    void serverNamesCoverEveryMemberAndTheClientService() {
        assertThat(EtcdCluster.serverNames(SampleSpecs.highlyAvailable())).containsExactly(
                "etcd-0.etcd.cluster-acme-edge-1.svc", "etcd-1.etcd.cluster-acme-edge-1.svc",
                "etcd-2.etcd.cluster-acme-edge-1.svc", "etcd-client.cluster-acme-edge-1.svc", "localhost");
    }

    private static List<KeyToPath> etcdPkiItems(StatefulSet etcd) {
        return etcd.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("pki"))
                .flatMap(v -> v.getProjected().getSources().stream())
                .flatMap(s -> s.getSecret().getItems().stream())
                .toList();
    }
}
