package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.cluster.controlplane.PublishedApiServer;
import io.fabric8.kubernetes.api.model.Endpoints;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSlice;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TenantClusterServicesTest {

    @Test
    void nodesMayReadWhatKubeProxyAndDnsWatch() {
        List<HasMetadata> objects = TenantClusterServices.objects(Optional.empty());
        assertThat(objects).extracting(o -> o.getKind() + "/" + o.getMetadata().getName())
                .containsExactly("ClusterRole/edgeplane:node-dns", "ClusterRoleBinding/edgeplane:node-dns",
                        "ClusterRoleBinding/edgeplane:node-proxier");
        assertThat(objects).filteredOn(ClusterRoleBinding.class::isInstance).map(ClusterRoleBinding.class::cast)
                .allSatisfy(b -> assertThat(b.getSubjects()).singleElement()
                        .satisfies(s -> assertThat(s.getName()).isEqualTo("system:nodes")));
    }

    @Test
    void theKubernetesServicePointsWhereDevicesDialWhenTheApiserverCannotSay() {
        List<HasMetadata> objects = TenantClusterServices.objects(PublishedApiServer.of("https://10.222.0.10:31443"));
        Endpoints endpoints = objects.stream().filter(Endpoints.class::isInstance).map(Endpoints.class::cast).findFirst().orElseThrow();
        assertThat(endpoints.getSubsets().get(0).getAddresses().get(0).getIp()).isEqualTo("10.222.0.10");
        assertThat(endpoints.getSubsets().get(0).getPorts().get(0).getPort()).isEqualTo(31443);
        EndpointSlice slice = objects.stream().filter(EndpointSlice.class::isInstance).map(EndpointSlice.class::cast).findFirst().orElseThrow();
        assertThat(slice.getMetadata().getLabels()).containsEntry("kubernetes.io/service-name", "kubernetes");
        assertThat(slice.getEndpoints().get(0).getAddresses()).containsExactly("10.222.0.10");
    }

    @Test
    void aNameIsNoEndpoint() {
        assertThat(PublishedApiServer.of("https://seed.example.net:31443")).isEmpty();
        assertThatThrownBy(() -> new PublishedApiServer("seed.example.net", 443)).hasMessageContaining("IP address");
        assertThat(PublishedApiServer.of("https://[2001:db8::1]:6443")).contains(new PublishedApiServer("2001:db8::1", 6443));
    }
}
