package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsClient;

import java.time.Instant;
import java.util.Optional;

/**
 * A device's tunnel as the seed can tell it: what the device agent last reported, unless that
 * report is stale (the device itself is out of reach, so its tunnel is too).
 */
final class DeviceTunnelObservation {
    private DeviceTunnelObservation() {
    }

    static MachineTunnel observe(DeviceWorkloadsClient devices, String node, Instant now) {
        Optional<DeviceReport> report = devices.get(node).flatMap(DeviceReport::of);
        if (report.isEmpty()) {
            return new MachineTunnel(MachineTunnel.DISCONNECTED, null, "the device agent has not reported yet");
        }
        DeviceReport r = report.get();
        if (!r.connected(now)) {
            return new MachineTunnel(MachineTunnel.DISCONNECTED, r.heardAt(),
                    "the device has not reported since " + r.heardAt() + " (its link to the seed is down?)");
        }
        if (r.tunnel() == null) {
            return new MachineTunnel(MachineTunnel.DISCONNECTED, null,
                    "the device reports no tunnel (provisioned before tunnels existed: run its provisioning script again)");
        }
        String reason = r.tunnel().reason() == null || r.tunnel().reason().isBlank() ? null : r.tunnel().reason();
        return new MachineTunnel(r.tunnel().state(), r.tunnel().since(), MachineTunnel.CONNECTED.equals(r.tunnel().state()) ? null : reason);
    }
}
