package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.workload.device.DeviceReport;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * When each watched device's report turns stale unless its agent reports again: heard at, plus
 * {@link DeviceReport#FRESH}. A report pushes its device's deadline on; a deadline that passes is
 * handed out once, so that the device is passed as its links turn disconnected, and not every time
 * its agent reports.
 */
final class ReportDeadlines {
    /** A device of a cluster. */
    record Device(String clusterId, String node) {
    }

    private final Map<Device, Instant> staleAt = new ConcurrentHashMap<>();

    /** The device's agent was heard at {@code heardAt}. */
    void heard(Device device, Instant heardAt) {
        staleAt.merge(device, heardAt.plus(DeviceReport.FRESH), (was, now) -> now.isAfter(was) ? now : was);
    }

    /** The device's report is gone: nothing turns stale. */
    void forget(Device device) {
        staleAt.remove(device);
    }

    /** The devices whose report turned stale by {@code now}, each once (until it is heard again). */
    List<Device> stale(Instant now) {
        List<Device> due = new ArrayList<>();
        staleAt.forEach((device, at) -> {
            if (!at.isAfter(now) && staleAt.remove(device, at)) {
                due.add(device);
            }
        });
        return due;
    }
}
