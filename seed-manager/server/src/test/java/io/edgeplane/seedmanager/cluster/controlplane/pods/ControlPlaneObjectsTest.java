package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SampleSpecs;
import io.edgeplane.seedmanager.datacenter.ExposeStrategy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlPlaneObjectsTest {

    private static List<HasMetadata> all(ControlPlaneSpec spec) {
        return ControlPlaneObjects.all(spec, SampleSpecs.pkiFiles(), SampleObjects.kubeconfigs(), SampleSpecs.TUNNEL,
                SampleSpecs.ENCRYPTION_KEYS, ComponentRequests.none());
    }

    @Test
    void appliedInDependencyOrder() {
        assertThat(all(SampleSpecs.highlyAvailable())).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactly("Namespace/cluster-acme-edge-1", "Secret/pki", "Secret/kubeconfigs", "Secret/konnectivity-server", "Secret/encryption-config",
                        "ConfigMap/egress-selector", "ConfigMap/audit-policy", "Service/etcd", "Service/etcd-client", "StatefulSet/etcd",
                        "Service/kube-apiserver", "Deployment/kube-apiserver", "Deployment/kube-controller-manager",
                        "Deployment/kube-scheduler");
        assertThat(all(SampleSpecs.single())).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .doesNotContain("ConfigMap/audit-policy");
    }

    @Test
    void configuredRequestsReplaceTheDefaultsOfTheirComponentOnly() {
        ComponentRequests small = ComponentRequests.parse(Map.of("kube-apiserver", "50m,200Mi", "etcd", "20m, 64Mi"));
        List<HasMetadata> objects = ControlPlaneObjects.all(SampleSpecs.single(), SampleSpecs.pkiFiles(), SampleObjects.kubeconfigs(),
                SampleSpecs.TUNNEL, SampleSpecs.ENCRYPTION_KEYS, small);

        assertThat(requests(objects, "kube-apiserver")).containsEntry("cpu", new Quantity("50m")).containsEntry("memory", new Quantity("200Mi"));
        assertThat(requests(objects, "etcd")).containsEntry("cpu", new Quantity("20m")).containsEntry("memory", new Quantity("64Mi"));
        assertThat(requests(objects, "kube-scheduler")).as("default").containsEntry("cpu", new Quantity("50m"));
        assertThat(requests(all(SampleSpecs.single()), "kube-apiserver")).as("default").containsEntry("cpu", new Quantity("250m"));
    }

    @Test
    void badRequestsAreRefusedByTheirSetting() {
        assertThatThrownBy(() -> ComponentRequests.parse(Map.of("kube-proxy", "10m,10Mi")))
                .hasMessageContaining("edgeplane.pods-runtime.requests.kube-proxy: no such component");
        assertThatThrownBy(() -> ComponentRequests.parse(Map.of("etcd", "lots")))
                .hasMessageContaining("edgeplane.pods-runtime.requests.etcd must be <cpu>,<memory> such as 100m,256Mi, got 'lots'");
        assertThatThrownBy(() -> ComponentRequests.parse(Map.of("etcd", "1,2,3"))).hasMessageContaining("got '1,2,3'");
    }

    private static Map<String, Quantity> requests(List<HasMetadata> objects, String component) {
        return objects.stream().flatMap(o -> o instanceof Deployment d ? d.getSpec().getTemplate().getSpec().getContainers().stream()
                        : o instanceof StatefulSet s ? s.getSpec().getTemplate().getSpec().getContainers().stream() : Stream.empty())
                .filter(c -> c.getName().equals(component)).findFirst().orElseThrow().getResources().getRequests();
    }

    @Test
    void everythingLivesInTheClusterNamespaceAndCarriesItsLabels() {
        for (HasMetadata object : all(SampleSpecs.highlyAvailable())) {
            assertThat(object.getMetadata().getLabels())
                    .containsEntry("edgeplane.io/cluster", "cluster-acme-edge-1")
                    .containsEntry("app.kubernetes.io/part-of", "edgeplane");
            if (!object.getKind().equals("Namespace")) {
                assertThat(object.getMetadata().getNamespace()).isEqualTo("cluster-acme-edge-1");
            }
        }
    }

    @Test
    void everyPodIsHardened() {
        for (ControlPlaneSpec spec : List.of(SampleSpecs.single(), SampleSpecs.highlyAvailable())) {
            for (PodSpec pod : podSpecs(all(spec))) {
                assertThat(pod.getAutomountServiceAccountToken()).isFalse();
                assertThat(pod.getTolerations()).isEmpty();
                assertThat(pod.getSecurityContext().getRunAsNonRoot()).isTrue();
                assertThat(pod.getSecurityContext().getSeccompProfile().getType()).isEqualTo("RuntimeDefault");
                assertThat(pod.getContainers()).allSatisfy(container -> {
                    assertThat(container.getSecurityContext().getReadOnlyRootFilesystem()).isTrue();
                    assertThat(container.getSecurityContext().getAllowPrivilegeEscalation()).isFalse();
                    assertThat(container.getSecurityContext().getCapabilities().getDrop()).containsExactly("ALL");
                    assertThat(container.getImage()).isEqualTo(SampleSpecs.IMAGES.get(container.getName()));
                });
            }
        }
    }

    @Test
    void everyMountedFileExistsInItsSecret() {
        List<HasMetadata> objects = all(SampleSpecs.highlyAvailable());
        Map<String, Secret> secrets = objects.stream().filter(Secret.class::isInstance).map(Secret.class::cast)
                .collect(Collectors.toMap(s -> s.getMetadata().getName(), s -> s));

        for (PodSpec pod : podSpecs(objects)) {
            List<VolumeProjection> sources = pod.getVolumes().stream().filter(v -> v.getProjected() != null)
                    .flatMap(v -> v.getProjected().getSources().stream()).toList();
            assertThat(sources).isNotEmpty().allSatisfy(source -> assertThat(secrets.get(source.getSecret().getName()).getData())
                    .containsKeys(source.getSecret().getItems().stream().map(KeyToPath::getKey).toArray(String[]::new)));
        }
    }

    @Test
    void hostPortClustersAreNotForThePodsRuntime() {
        assertThatThrownBy(() -> all(SampleSpecs.spec(ExposeStrategy.HOST_PORT, false, 1)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    private static List<PodSpec> podSpecs(List<HasMetadata> objects) {
        return objects.stream().map(o -> {
            if (o instanceof Deployment d) {
                return d.getSpec().getTemplate().getSpec();
            }
            if (o instanceof StatefulSet s) {
                return s.getSpec().getTemplate().getSpec();
            }
            return null;
        }).filter(Objects::nonNull).toList();
    }
}
