package io.edgeplane.seedmanager.cluster.controlplane.pki;

import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ClusterPkiRequestTest {

    @Test
    void defaultApiserverSansAreTheStandardList() {
        assertThat(ClusterPkiRequest.defaultApiserverSans("edge.example.com", "10.96.0.0/12")).containsExactly(
                "edge.example.com", "127.0.0.1", "localhost", "kubernetes", "kubernetes.default",
                "kubernetes.default.svc", "kubernetes.default.svc.cluster.local", "10.96.0.1");
    }

    @Test
    void theServiceIpIsTheFirstHostOfTheCidrEvenWhenGivenUnaligned() {
        assertThat(ClusterPkiRequest.defaultApiserverSans("192.0.2.1", "10.100.7.9/16")).last().isEqualTo("10.100.0.1");
        assertThat(ClusterPkiRequest.defaultApiserverSans("192.0.2.1", "fd00:10:96::/108")).last().isEqualTo("fd00:10:96:0:0:0:0:1");
    }

    @Test
    void anExternalAddressThatIsAlsoADefaultAppearsOnce() {
        assertThat(ClusterPkiRequest.defaultApiserverSans("127.0.0.1", "10.96.0.0/12")).containsOnlyOnce("127.0.0.1").hasSize(7);
    }

    @Test
    void badServiceCidrsAndAddressesAreRejected() {
        for (String cidr : List.of("10.96.0.0", "10.96.0.0/33", "10.96.0.0/31", "kubernetes/12", "10.96.0.0/x")) {
            assertThatThrownBy(() -> ClusterPkiRequest.defaultApiserverSans("edge.example.com", cidr)).as(cidr)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("service CIDR");
        }
        assertThatThrownBy(() -> ClusterPkiRequest.defaultApiserverSans(" ", "10.96.0.0/12"))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("externalAddress");
    }

    @Test
    void sansAreTrimmedDeduplicatedAndNeverBlank() {
        ClusterPkiRequest request = new ClusterPkiRequest("alpha", List.of("a.example", " a.example ", "10.0.0.1"),
                List.of(), Duration.ofDays(2), Duration.ofDays(1));
        assertThat(request.apiserverSans()).containsExactly("a.example", "10.0.0.1");
        assertThatThrownBy(() -> new ClusterPkiRequest("alpha", List.of("a.example", ""), List.of(), Duration.ofDays(2), Duration.ofDays(1)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blank");
    }
}
