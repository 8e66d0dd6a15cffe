package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.fabric8.kubernetes.api.model.VolumeMount;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenCase;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenFiles;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenSource;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SampleSpecs;
import io.edgeplane.seedmanager.datacenter.ExposeStrategy;
import io.fabric8.kubernetes.api.model.Container;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.Service;
import io.fabric8.kubernetes.api.model.Volume;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class ApiServerBuildersTest implements GoldenSource {

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(
                new GoldenCase("apiserver-deployment", getClass(),
                        () -> GoldenFiles.yaml(deployment(SampleSpecs.single()))),
                new GoldenCase("apiserver-deployment-audit-ha", getClass(),
                        () -> GoldenFiles.yaml(deployment(SampleSpecs.highlyAvailable()))),
                new GoldenCase("apiserver-service-nodeport", getClass(),
                        () -> GoldenFiles.yaml(ApiServerServiceBuilder.build(SampleSpecs.spec(ExposeStrategy.NODE_PORT, false, 1)))),
                new GoldenCase("apiserver-service-loadbalancer", getClass(),
                        () -> GoldenFiles.yaml(ApiServerServiceBuilder.build(SampleSpecs.spec(ExposeStrategy.LOAD_BALANCER, false, 1)))),
                new GoldenCase("audit-policy-configmap", getClass(),
                        () -> GoldenFiles.yaml(AuditPolicyConfigMapBuilder.build(SampleSpecs.highlyAvailable()))));
    }

    static Deployment deployment(ControlPlaneSpec spec) {
        return ApiServerDeploymentBuilder.build(spec, SampleSpecs.TUNNEL.serial(), SampleSpecs.ENCRYPTION_KEY_NAMES);
    }

    @Test
    void runsKubeApiserverOnPodPathsAgainstEveryEtcdMember() {
        Container apiserver = container(deployment(SampleSpecs.highlyAvailable()));

        assertThat(apiserver.getCommand().get(0)).isEqualTo("kube-apiserver");
        assertThat(apiserver.getCommand()).contains(
                "--etcd-servers=https://etcd-0.etcd.cluster-acme-edge-1.svc:2379,"
                        + "https://etcd-1.etcd.cluster-acme-edge-1.svc:2379,https://etcd-2.etcd.cluster-acme-edge-1.svc:2379",
                "--tls-cert-file=/etc/kubernetes/pki/apiserver.crt",
                "--secure-port=6443",
                "--bind-address=0.0.0.0",
                "--endpoint-reconciler-type=none");
        assertThat(apiserver.getReadinessProbe().getHttpGet().getPath()).isEqualTo("/readyz");
        assertThat(apiserver.getReadinessProbe().getHttpGet().getScheme()).isEqualTo("HTTPS");
        assertThat(apiserver.getLivenessProbe().getHttpGet().getPath()).isEqualTo("/livez");
        assertThat(apiserver.getResources().getRequests()).containsKeys("cpu", "memory");
    }

    @Test
    void theTunnelServerRunsBesideTheApiserverAndOnlyItSeesItsCredentials() {
        Deployment deployment = deployment(SampleSpecs.single());
        List<Container> containers = deployment.getSpec().getTemplate().getSpec().getContainers();
        assertThat(containers).extracting(Container::getName).containsExactly("kube-apiserver", "konnectivity-server");
        assertThat(containers.get(0).getCommand()).contains("--egress-selector-config-file=/etc/kubernetes/egress/egress-selector.yaml");
        assertThat(containers.get(0).getVolumeMounts()).extracting(VolumeMount::getName).doesNotContain("tunnel").contains("tunnel-socket");
        assertThat(containers.get(1).getVolumeMounts()).extracting(VolumeMount::getName).containsExactly("tunnel-socket", "tunnel");
        assertThat(containers.get(1).getCommand()).contains("--uds-name=/run/konnectivity/konnectivity-server.sock",
                "--proxy-strategies=destHost", "--admin-bind-address=127.0.0.1");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("edgeplane.io/tunnel-credentials", SampleSpecs.TUNNEL.serial());
    }

    @Test
    void readsItsEncryptionConfigurationFromItsSecretAndRollsWhenTheKeysChange() {
        Deployment deployment = deployment(SampleSpecs.single());
        Container apiserver = container(deployment);
        assertThat(apiserver.getCommand()).contains(
                "--encryption-provider-config=/etc/kubernetes/encryption/encryption-config.yaml",
                "--encryption-provider-config-automatic-reload=true");
        assertThat(apiserver.getVolumeMounts()).filteredOn(m -> m.getName().equals("encryption-config")).singleElement()
                .satisfies(m -> assertThat(m.getReadOnly()).isTrue());
        assertThat(deployment.getSpec().getTemplate().getSpec().getContainers().get(1).getVolumeMounts())
                .as("the tunnel server").extracting(VolumeMount::getName).doesNotContain("encryption-config");
        assertThat(deployment.getSpec().getTemplate().getMetadata().getAnnotations())
                .as("names only, never key material").containsEntry("edgeplane.io/encryption-keys", "key-1");
        assertThat(ApiServerDeploymentBuilder.build(SampleSpecs.single(), SampleSpecs.TUNNEL.serial(), List.of("key-2", "key-1"))
                .getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("edgeplane.io/encryption-keys", "key-2,key-1");
    }

    @Test
    void neverSeesACaKey() {
        assertThat(pkiPaths(deployment(SampleSpecs.single())))
                .contains("ca.crt", "etcd/ca.crt", "front-proxy-ca.crt", "sa.key", "sa.pub")
                .doesNotContain("ca.key", "etcd/ca.key", "front-proxy-ca.key");
    }

    @Test
    void auditVolumesOnlyWithAuditLogging() {
        assertThat(deployment(SampleSpecs.highlyAvailable()).getSpec().getTemplate().getSpec().getVolumes())
                .extracting(Volume::getName).containsExactly("pki", "egress-selector", "encryption-config", "tunnel-socket", "tunnel", "audit-policy",
                        "audit-log");
        assertThat(deployment(SampleSpecs.single()).getSpec().getTemplate().getSpec().getVolumes())
                .extracting(Volume::getName).containsExactly("pki", "egress-selector", "encryption-config", "tunnel-socket", "tunnel");
    }

    @Test
    void serviceTypeFollowsTheExposeStrategyWithTheFixedNodePort() {
        Service nodePort = ApiServerServiceBuilder.build(SampleSpecs.spec(ExposeStrategy.NODE_PORT, false, 1));
        Service loadBalancer = ApiServerServiceBuilder.build(SampleSpecs.spec(ExposeStrategy.LOAD_BALANCER, false, 1));

        assertThat(nodePort.getSpec().getType()).isEqualTo("NodePort");
        assertThat(nodePort.getSpec().getPorts()).hasSize(2).first().satisfies(port -> {
            assertThat(port.getPort()).isEqualTo(6443);
            assertThat(port.getNodePort()).isEqualTo(30443);
        });
        assertThat(nodePort.getSpec().getPorts().get(1)).satisfies(port -> {
            assertThat(port.getName()).isEqualTo("tunnel");
            assertThat(port.getPort()).isEqualTo(8132);
            assertThat(port.getNodePort()).as("picked by the seed cluster").isNull();
        });
        assertThat(loadBalancer.getSpec().getType()).isEqualTo("LoadBalancer");
        assertThat(loadBalancer.getSpec().getPorts().get(0).getNodePort()).isNull();
    }

    @Test
    void hostPortIsNotAPodsExposure() {
        assertThatThrownBy(() -> ApiServerServiceBuilder.build(SampleSpecs.spec(ExposeStrategy.HOST_PORT, false, 1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("process runtime");
    }

    static Container container(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getContainers().get(0);
    }

    static List<String> pkiPaths(Deployment deployment) {
        return deployment.getSpec().getTemplate().getSpec().getVolumes().stream()
                .filter(v -> v.getName().equals("pki"))
                .flatMap(v -> v.getProjected().getSources().stream())
                .flatMap(s -> s.getSecret().getItems().stream())
                .map(KeyToPath::getPath)
                .toList();
    }
}
