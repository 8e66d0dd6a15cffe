package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.workload.device.DeviceReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;

import static org.assertj.core.api.Assertions.assertThat;

/** A device's report turns stale once, unless its agent reports again first. */
class ReportDeadlinesTest {
    private static final Instant HEARD = Instant.parse("2026-01-01T12:00:00Z");
    private static final ReportDeadlines.Device EDGE_1 = new ReportDeadlines.Device("c1", "edge-1");
    private static final ReportDeadlines.Device EDGE_2 = new ReportDeadlines.Device("c1", "edge-2");

    @Test
    void aSilentDeviceIsHandedOutOnceItsReportTurnsStale() {
        ReportDeadlines deadlines = new ReportDeadlines();
        deadlines.heard(EDGE_1, HEARD);
        assertThat(deadlines.stale(HEARD.plus(DeviceReport.FRESH).minusSeconds(1))).isEmpty();
        assertThat(deadlines.stale(HEARD.plus(DeviceReport.FRESH))).containsExactly(EDGE_1);
        assertThat(deadlines.stale(HEARD.plus(DeviceReport.FRESH).plusSeconds(30))).as("once").isEmpty();
    }

    @Test
    void aDeviceThatKeepsReportingNeverTurnsStale() {
        ReportDeadlines deadlines = new ReportDeadlines();
        deadlines.heard(EDGE_1, HEARD);
        deadlines.heard(EDGE_1, HEARD.plusSeconds(20));
        deadlines.heard(EDGE_1, HEARD.plusSeconds(10));   // seen late: the later report counts
        assertThat(deadlines.stale(HEARD.plus(DeviceReport.FRESH).plusSeconds(19))).isEmpty();
        assertThat(deadlines.stale(HEARD.plus(DeviceReport.FRESH).plusSeconds(20))).containsExactly(EDGE_1);
    }

    @Test
    void aDeviceHeardAgainAfterTurningStaleCanTurnStaleAgainAndAForgottenOneNot() {
        ReportDeadlines deadlines = new ReportDeadlines();
        deadlines.heard(EDGE_1, HEARD);
        deadlines.heard(EDGE_2, HEARD);
        deadlines.forget(EDGE_2);
        assertThat(deadlines.stale(HEARD.plus(DeviceReport.FRESH))).containsExactly(EDGE_1);
        deadlines.heard(EDGE_1, HEARD.plusSeconds(120));
        assertThat(deadlines.stale(HEARD.plusSeconds(120).plus(DeviceReport.FRESH))).containsExactly(EDGE_1);
    }
}
