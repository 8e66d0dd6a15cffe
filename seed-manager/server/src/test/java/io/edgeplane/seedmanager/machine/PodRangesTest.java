package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.Ipv4Cidr;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** Which /24 a new device gets: the lowest one nobody holds. */
class PodRangesTest {
    private static final Ipv4Cidr RANGE = Ipv4Cidr.parse("10.250.0.0/22");

    @Test
    void theLowestFreeSlash24() {
        assertThat(PodRanges.lowestFree(RANGE, List.of())).hasValue(Ipv4Cidr.parse("10.250.0.0/24"));
        assertThat(PodRanges.lowestFree(RANGE, held("10.250.0.0/24", "10.250.2.0/24"))).hasValue(Ipv4Cidr.parse("10.250.1.0/24"));
        assertThat(PodRanges.lowestFree(RANGE, held("10.250.1.0/24", "10.250.0.0/24", "10.250.2.0/24")))
                .hasValue(Ipv4Cidr.parse("10.250.3.0/24"));
        assertThat(PodRanges.lowestFree(RANGE, held("10.250.1.0/24", "10.250.0.0/24", "10.250.2.0/24", "10.250.3.0/24")))
                .as("full").isEqualTo(Optional.empty());
    }

    private static List<MachinePodCidr> held(String... cidrs) {
        return Arrays.stream(cidrs).map(c -> new MachinePodCidr("m-" + c, "c1", c)).toList();
    }
}
