package io.edgeplane.seedmanager.podnetwork;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The TLS server name that picks a cluster's pod network, both ways. */
class PodNetworkNameTest {

    @Test
    void aClusterIdMakesItsNameAndTheNameGivesItBack() {
        assertThat(PodNetworkName.of("c0a1b2c3d4e")).isEqualTo("c0a1b2c3d4e.pod-network.edgeplane.invalid");
        assertThat(PodNetworkName.clusterId("c0a1b2c3d4e.pod-network.edgeplane.invalid")).hasValue("c0a1b2c3d4e");
        assertThat(PodNetworkName.clusterId(PodNetworkName.of("cnew"))).hasValue("cnew");
    }

    @Test
    void namesOfNoClusterGiveNone() {
        assertThat(PodNetworkName.clusterId(null)).as("no SNI").isEmpty();
        assertThat(PodNetworkName.clusterId("")).isEmpty();
        assertThat(PodNetworkName.clusterId("203.0.113.10")).isEmpty();
        assertThat(PodNetworkName.clusterId("pod-network.edgeplane.invalid")).isEmpty();
        assertThat(PodNetworkName.clusterId(".pod-network.edgeplane.invalid")).isEmpty();
        assertThat(PodNetworkName.clusterId("c0a1b2c3d4e.pod-network.edgeplane.invalid.example.com")).isEmpty();
        assertThat(PodNetworkName.clusterId("a.c0a1b2c3d4e.pod-network.edgeplane.invalid")).as("one label only").isEmpty();
        assertThat(PodNetworkName.clusterId("C0A1B2C3D4E.pod-network.edgeplane.invalid")).as("Netty hands names lower-cased").isEmpty();
        assertThat(PodNetworkName.clusterId("c0a1b2c3d4e-.pod-network.edgeplane.invalid")).isEmpty();
        assertThat(PodNetworkName.clusterId("c0a1b2c3d4expod-network.edgeplane.invalid")).isEmpty();
    }

    @Test
    void anIdThatIsNoDnsLabelHasNoName() {
        assertThatThrownBy(() -> PodNetworkName.of("c0a1.b2")).hasMessageContaining("DNS label");
        assertThatThrownBy(() -> PodNetworkName.of("")).hasMessageContaining("DNS label");
        assertThatThrownBy(() -> PodNetworkName.of("C0A1")).hasMessageContaining("DNS label");
    }
}
