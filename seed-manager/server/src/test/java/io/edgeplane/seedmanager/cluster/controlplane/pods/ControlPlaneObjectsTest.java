package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SampleSpecs;
import io.edgeplane.seedmanager.datacenter.ExposeStrategy;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.KeyToPath;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.VolumeProjection;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ControlPlaneObjectsTest {

    private static List<HasMetadata> all(ControlPlaneSpec spec) {
        return ControlPlaneObjects.all(spec, SampleSpecs.pkiFiles(), SampleObjects.kubeconfigs(), SampleSpecs.TUNNEL,
                SampleSpecs.ENCRYPTION_KEYS);
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
