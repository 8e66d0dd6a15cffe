package io.edgeplane.testbed.device;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SubnetTest {

    @Test
    void theHostTakesDotOneAndAddressesStayInsideTheSlash24() {
        Subnet subnet = Subnet.parse("10.222.0.0/24");
        assertThat(subnet.hostAddress()).isEqualTo("10.222.0.1");
        assertThat(subnet.address(10)).isEqualTo("10.222.0.10");
        assertThat(subnet.cidr()).isEqualTo("10.222.0.0/24");
        assertThat(subnet.next().cidr()).isEqualTo("10.222.1.0/24");
        assertThatThrownBy(() -> subnet.address(255)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void onlyASlash24IsAccepted() {
        assertThatThrownBy(() -> Subnet.parse("10.222.0.0/16")).hasMessageContaining("/24");
        assertThatThrownBy(() -> Subnet.parse("10.222.0.5/24")).hasMessageContaining("not the start of a /24");
        assertThatThrownBy(() -> Subnet.parse("10.222.0/24")).hasMessageContaining("not an IPv4 address");
    }

    @Test
    void overlapIsDecidedByTheShorterPrefix() {
        Subnet subnet = Subnet.parse("10.222.0.0/24");
        assertThat(subnet.overlaps(Subnet.parseAddress("10.222.0.1"), 32)).isTrue();
        assertThat(subnet.overlaps(Subnet.parseAddress("10.0.0.0"), 8)).isTrue();
        assertThat(subnet.overlaps(Subnet.parseAddress("10.223.0.0"), 24)).isFalse();
        assertThat(subnet.overlaps(Subnet.parseAddress("192.0.2.1"), 32)).isFalse();
    }

    @Test
    void everyAddressHasItsOwnLocallyAdministeredMac() {
        assertThat(TestNetwork.macOf("10.222.0.10")).isEqualTo("02:00:0a:de:00:0a");
    }
}
