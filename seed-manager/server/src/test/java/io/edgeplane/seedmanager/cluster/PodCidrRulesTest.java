package io.edgeplane.seedmanager.cluster;

import org.junit.jupiter.api.Test;

import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** What a cluster's pod range may be, with a reason an operator can act on when it may not. */
class PodCidrRulesTest {
    private static final String SERVICES = "10.96.0.0/16";

    @Test
    void theDefaultAndOrdinaryPrivateRangesAreAccepted() {
        for (String range : new String[]{PodCidrRules.DEFAULT, "11.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "10.250.4.0/22",
                "100.64.0.0/10"}) {
            assertThat(problem(range)).as(range).isEmpty();
        }
    }

    @Test
    void betweenSlash8AndSlash22SoThatAtLeastFourDevicesFit() {
        assertThat(problem("10.250.0.0/23")).get().asString().contains("between /8 and /22", "a /22 holds 4 devices", "got /23");
        assertThat(problem("10.250.0.0/24")).get().asString().contains("between /8 and /22");
        assertThat(problem("10.0.0.0/7")).get().asString().contains("got /7");
    }

    @Test
    void notOverlappingTheServiceRangeOrReservedAddresses() {
        assertThat(problem("10.96.0.0/14")).get().asString().contains("overlaps the cluster's service range 10.96.0.0/16");
        assertThat(problem("10.0.0.0/8")).as("holds the service range").get().asString().contains("service range 10.96.0.0/16");
        assertThat(problem("10.97.0.0/16")).as("next to it").isEmpty();
        assertThat(problem("127.0.0.0/16")).get().asString().contains("127.0.0.0/8 (loopback)");
        assertThat(problem("169.254.0.0/16")).get().asString().contains("link-local");
        assertThat(problem("239.0.0.0/8")).get().asString().contains("multicast");
        assertThat(problem("0.0.0.0/8")).get().asString().contains("this network");
    }

    @Test
    void notIpv6NorSomethingElse() {
        assertThat(problem("fd00::/56")).get().asString().contains("IPv6 is not supported");
        assertThat(problem("ten-two-four-four")).get().asString().contains("CIDR notation such as 10.244.0.0/14");
        assertThat(problem("10.244.1.0/14")).get().asString().contains("10.244.0.0/14");
    }

    private static Optional<String> problem(String range) {
        return PodCidrRules.problem(range, SERVICES);
    }
}
