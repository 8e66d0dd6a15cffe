package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Ipv4Cidr;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** Why an open session must end once its machine changed. */
class PodNetworkSweepTest {
    private static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");
    private static final Admitted DEVICE = new Admitted("c0000000001", "acme/line/edge-1", "edge-1", "m1",
            Ipv4Cidr.parse("10.244.1.0/24"), NOW.plusSeconds(3600));

    @Test
    void aSessionOfAnUnchangedMachineStays() {
        assertThat(PodNetworkSweep.staleness(DEVICE, new RelayMachine("m1", false, false, "10.244.1.0/24"), NOW)).isEmpty();
    }

    @Test
    void aSessionWhoseMachineChangedEnds() {
        assertThat(PodNetworkSweep.staleness(DEVICE, null, NOW)).hasValue("its MachineDeployment is gone");
        assertThat(PodNetworkSweep.staleness(DEVICE, new RelayMachine("m1", true, false, "10.244.1.0/24"), NOW))
                .hasValue("its MachineDeployment is being deleted");
        assertThat(PodNetworkSweep.staleness(DEVICE, new RelayMachine("m1", false, true, "10.244.1.0/24"), NOW))
                .hasValue("its cluster is being deleted");
        assertThat(PodNetworkSweep.staleness(DEVICE, new RelayMachine("m1", false, false, "10.244.7.0/24"), NOW))
                .hasValue("its pod range changed from 10.244.1.0/24 to 10.244.7.0/24");
        assertThat(PodNetworkSweep.staleness(DEVICE, new RelayMachine("m1", false, false, null), NOW))
                .hasValue("its pod range changed from 10.244.1.0/24 to null");
        assertThat(PodNetworkSweep.staleness(DEVICE, new RelayMachine("m1", false, false, "10.244.1.0/24"), NOW.plusSeconds(3600)))
                .hasValue("its client certificate expired at " + NOW.plusSeconds(3600));
    }
}
