package io.edgeplane.seedmanager.cluster;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** IPv4 ranges as the pod ranges use them: parsed strictly, split into /24s, compared. */
class Ipv4CidrTest {

    @Test
    void parsesCanonicalRangesAndPrintsThemBack() {
        for (String text : new String[]{"10.244.0.0/14", "0.0.0.0/0", "255.255.255.255/32", "192.168.7.0/24", "172.16.0.0/12"}) {
            assertThat(Ipv4Cidr.parse(text)).hasToString(text);
        }
        assertThat(Ipv4Cidr.parse("10.244.0.0/14").prefix()).isEqualTo(14);
        assertThat(Ipv4Cidr.parse("255.255.255.255/32").network()).isEqualTo(0xFFFF_FFFFL);
    }

    @Test
    void refusesWhatIsNotACanonicalIpv4RangeSayingWhy() {
        assertRefused("fd00:10:244::/56", "IPv6 is not supported");
        assertRefused("10.244.0.0", "CIDR notation");
        assertRefused("10.244.0/14", "CIDR notation");
        assertRefused("10.244.0.0/14 ", "CIDR notation");
        assertRefused("010.244.0.0/14", "CIDR notation");
        assertRefused("10.244.0.0/014", "CIDR notation");
        assertRefused("", "CIDR notation");
        assertRefused(null, "CIDR notation");
        assertRefused("10.256.0.0/16", "256 is not an address byte");
        assertRefused("10.244.0.0/33", "longer than an IPv4 address");
        assertRefused("10.244.1.0/14", "the range starting there is 10.244.0.0/14");
    }

    @Test
    void splitsIntoNumberedSubnetsAndFindsTheirPlace() {
        Ipv4Cidr range = Ipv4Cidr.parse("10.244.0.0/14");
        assertThat(range.subnetCount(24)).isEqualTo(1024);
        assertThat(range.subnet(24, 0)).hasToString("10.244.0.0/24");
        assertThat(range.subnet(24, 3)).hasToString("10.244.3.0/24");
        assertThat(range.subnet(24, 256)).hasToString("10.245.0.0/24");
        assertThat(range.subnet(24, 1023)).hasToString("10.247.255.0/24");
        assertThatThrownBy(() -> range.subnet(24, 1024)).isInstanceOf(IllegalArgumentException.class);
        assertThat(Ipv4Cidr.parse("10.245.0.0/24").indexIn(range)).isEqualTo(256);
        assertThat(Ipv4Cidr.parse("10.248.0.0/24").indexIn(range)).as("outside").isEqualTo(-1);
        assertThat(Ipv4Cidr.parse("10.0.0.0/8").subnetCount(24)).isEqualTo(65536);
        assertThat(Ipv4Cidr.parse("10.0.0.0/8").subnet(24, 65535)).hasToString("10.255.255.0/24");
        assertThat(Ipv4Cidr.parse("10.0.0.0/24").subnetCount(22)).as("wider than the range").isZero();
    }

    @Test
    void overlapsWhenTheyShareAnAddress() {
        Ipv4Cidr pods = Ipv4Cidr.parse("10.244.0.0/14");
        assertThat(pods.overlaps(Ipv4Cidr.parse("10.96.0.0/16"))).isFalse();
        assertThat(pods.overlaps(Ipv4Cidr.parse("10.0.0.0/8"))).isTrue();
        assertThat(pods.overlaps(Ipv4Cidr.parse("10.247.255.0/24"))).isTrue();
        assertThat(pods.overlaps(Ipv4Cidr.parse("10.248.0.0/24"))).isFalse();
        assertThat(Ipv4Cidr.parse("224.0.0.0/3").overlaps(Ipv4Cidr.parse("255.0.0.0/8"))).isTrue();
    }

    private static void assertRefused(String text, String why) {
        assertThatThrownBy(() -> Ipv4Cidr.parse(text)).as(text).isInstanceOf(IllegalArgumentException.class).hasMessageContaining(why);
    }
}
