package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Ipv4Cidr;
import org.junit.jupiter.api.Test;

import static io.edgeplane.seedmanager.podnetwork.Ipv4PacketsTest.address;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A cluster's routing table: destination /24 to the device that holds it. */
class PodRoutesTest {
    private static final Ipv4Cidr ONE = Ipv4Cidr.parse("10.244.1.0/24");
    private static final Ipv4Cidr TWO = Ipv4Cidr.parse("10.244.2.0/24");

    @Test
    void aDestinationGoesToTheDeviceHoldingItsSlash24() {
        PodRoutes<String> routes = new PodRoutes<>();
        routes.put(ONE, "edge-1");
        routes.put(TWO, "edge-2");
        assertThat(routes.lookup(address("10.244.1.0"))).isEqualTo("edge-1");
        assertThat(routes.lookup(address("10.244.1.255"))).isEqualTo("edge-1");
        assertThat(routes.lookup(address("10.244.2.17"))).isEqualTo("edge-2");
        assertThat(routes.lookup(address("10.244.3.1"))).as("nobody's").isNull();
        assertThat(routes.lookup(address("10.245.1.1"))).isNull();
        assertThat(routes.lookup(address("11.244.1.1"))).isNull();
    }

    @Test
    void addressesAboveTheSignBitAreRouted() {
        PodRoutes<String> routes = new PodRoutes<>();
        routes.put(Ipv4Cidr.parse("192.168.7.0/24"), "edge-1");
        assertThat(routes.lookup(address("192.168.7.200"))).isEqualTo("edge-1");
        assertThat(routes.lookup(address("192.168.8.1"))).isNull();
    }

    @Test
    void aRouteIsReplacedAndRemovedOnlyByItsHolder() {
        PodRoutes<String> routes = new PodRoutes<>();
        assertThat(routes.put(ONE, "old")).isNull();
        assertThat(routes.put(ONE, "new")).isEqualTo("old");
        assertThat(routes.remove(ONE, "old")).as("a replaced holder removes nothing").isFalse();
        assertThat(routes.lookup(address("10.244.1.9"))).isEqualTo("new");
        assertThat(routes.remove(ONE, "new")).isTrue();
        assertThat(routes.lookup(address("10.244.1.9"))).isNull();
        assertThat(routes.isEmpty()).isTrue();
    }

    @Test
    void onlySlash24sAreRoutes() {
        PodRoutes<String> routes = new PodRoutes<>();
        assertThatThrownBy(() -> routes.put(Ipv4Cidr.parse("10.244.0.0/23"), "edge-1")).hasMessageContaining("/24");
        assertThatThrownBy(() -> routes.put(Ipv4Cidr.parse("10.244.1.0/25"), "edge-1")).hasMessageContaining("/24");
    }

    @Test
    void aSlash24ContainsItsOwnAddressesOnly() {
        assertThat(PodRoutes.contains(ONE, address("10.244.1.1"))).isTrue();
        assertThat(PodRoutes.contains(ONE, address("10.244.1.255"))).isTrue();
        assertThat(PodRoutes.contains(ONE, address("10.244.2.1"))).isFalse();
        assertThat(PodRoutes.contains(ONE, address("10.244.0.255"))).isFalse();
        assertThat(PodRoutes.contains(Ipv4Cidr.parse("200.1.2.0/24"), address("200.1.2.3"))).isTrue();
    }
}
