package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceReport.LinkReport;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsClient;

import java.time.Instant;
import java.util.Optional;
import java.util.function.Function;

/**
 * A device's links (tunnel, pod network) as the seed can tell them: what the device agent last reported, unless that
 * report is stale (the device itself is out of reach, so its links are too).
 */
final class DeviceLinkObservation {
    private DeviceLinkObservation() {
    }

    static MachineLink tunnel(DeviceWorkloadsClient devices, String node, Instant now) {
        return observe(devices, node, now, DeviceReport::tunnel,
                "the device reports no tunnel (provisioned before tunnels existed: run its provisioning script again)");
    }

    static MachineLink podNetwork(DeviceWorkloadsClient devices, String node, Instant now) {
        return observe(devices, node, now, DeviceReport::podNetwork, "the device reports no pod network (provisioned before the"
                + " pod network existed, or with EDGEPLANE_CNI=none: run its provisioning script again)");
    }

    private static MachineLink observe(DeviceWorkloadsClient devices, String node, Instant now, Function<DeviceReport, LinkReport> link,
                                       String whenUnreported) {
        Optional<DeviceReport> report = devices.get(node).flatMap(DeviceReport::of);
        if (report.isEmpty()) {
            return new MachineLink(MachineLink.DISCONNECTED, null, "the device agent has not reported yet");
        }
        DeviceReport r = report.get();
        if (!r.connected(now)) {
            return new MachineLink(MachineLink.DISCONNECTED, r.heardAt(),
                    "the device has not reported since " + r.heardAt() + " (its link to the seed is down?)");
        }
        LinkReport reported = link.apply(r);
        if (reported == null) {
            return new MachineLink(MachineLink.DISCONNECTED, null, whenUnreported);
        }
        String reason = reported.reason() == null || reported.reason().isBlank() ? null : reported.reason();
        return new MachineLink(reported.state(), reported.since(), MachineLink.CONNECTED.equals(reported.state()) ? null : reason);
    }
}
