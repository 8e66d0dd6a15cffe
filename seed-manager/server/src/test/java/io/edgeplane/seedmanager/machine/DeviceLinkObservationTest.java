package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceReport.LinkReport;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** When a device's reports change the links it shows, and when they turn stale. */
class DeviceLinkObservationTest {
    private static final Instant HEARD = Instant.parse("2026-01-01T12:00:00Z");
    private static final LinkReport UP = new LinkReport("connected", HEARD.minusSeconds(600), "");
    private static final LinkReport DOWN = new LinkReport("disconnected", HEARD, "tunnel agent stopped");

    @Test
    void theAgentsPeriodicReportChangesNothing() {
        assertThat(DeviceLinkObservation.changed(report(HEARD, UP), report(HEARD.plusSeconds(20), UP))).isFalse();
    }

    @Test
    void aLinkReportedOtherwiseOrAReportComingOrGoingChangesTheLinks() {
        assertThat(DeviceLinkObservation.changed(report(HEARD, UP), report(HEARD.plusSeconds(20), DOWN))).isTrue();
        assertThat(DeviceLinkObservation.changed(Optional.empty(), report(HEARD, UP))).isTrue();
        assertThat(DeviceLinkObservation.changed(report(HEARD, UP), Optional.empty())).isTrue();
        assertThat(DeviceLinkObservation.changed(Optional.empty(), Optional.empty())).isFalse();
    }

    @Test
    void aDeviceHeardAgainAfterASilenceChangesTheLinks() {
        assertThat(DeviceLinkObservation.changed(report(HEARD, UP), report(HEARD.plus(DeviceReport.FRESH).plusSeconds(1), UP))).isTrue();
    }

    @Test
    void aFreshReportTurnsStaleOnceItIsNoLongerFresh() {
        GenericKubernetesResource device = device(HEARD);
        assertThat(DeviceLinkObservation.of(Optional.of(device), HEARD.plusSeconds(10)).staleAt()).contains(HEARD.plus(DeviceReport.FRESH));
        DeviceLinkObservation stale = DeviceLinkObservation.of(Optional.of(device), HEARD.plus(DeviceReport.FRESH));
        assertThat(stale.staleAt()).as("stale already").isEmpty();
        assertThat(stale.tunnel().state()).isEqualTo(MachineLink.DISCONNECTED);
        assertThat(DeviceLinkObservation.of(Optional.empty(), HEARD).staleAt()).isEmpty();
    }

    private static Optional<DeviceReport> report(Instant heard, LinkReport tunnel) {
        return Optional.of(new DeviceReport("edge-1", heard, 0, List.of(), List.of(), tunnel, null, null));
    }

    /** A device object whose agent last wrote its status at {@code heard}. */
    private static GenericKubernetesResource device(Instant heard) {
        GenericKubernetesResource device = new GenericKubernetesResource();
        device.setApiVersion(DeviceWorkloadsResource.API_VERSION);
        device.setKind(DeviceWorkloadsResource.KIND);
        device.setMetadata(new ObjectMetaBuilder().withName("edge-1").withNamespace(DeviceWorkloadsResource.NAMESPACE)
                .withManagedFields(new ManagedFieldsEntryBuilder().withManager(DeviceWorkloadsResource.AGENT_MANAGER)
                        .withSubresource("status").withTime(heard.toString()).build()).build());
        device.setAdditionalProperty("status", Map.of("tunnel", Map.of("state", "connected", "since", HEARD.minusSeconds(600).toString())));
        return device;
    }
}
