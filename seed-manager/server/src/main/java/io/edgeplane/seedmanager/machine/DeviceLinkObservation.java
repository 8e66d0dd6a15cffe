package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceReport.LinkReport;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;

import java.time.Instant;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Function;

/**
 * A device's links (tunnel, pod network) as the seed can tell them: what the device agent last reported, unless that
 * report is stale (the device itself is out of reach, so its links are too). Read once per pass for both links.
 */
final class DeviceLinkObservation {
    private final Optional<DeviceReport> report;
    private final Instant now;

    private DeviceLinkObservation(Optional<DeviceReport> report, Instant now) {
        this.report = report;
        this.now = now;
    }

    /** From the device's {@code DeviceWorkloads}, if it has one. */
    static DeviceLinkObservation of(Optional<GenericKubernetesResource> device, Instant now) {
        return new DeviceLinkObservation(device.flatMap(DeviceReport::of), now);
    }

    /**
     * Whether the links shown change from one report to the next: a report appears or goes, a link
     * (or the onboarding check) is reported otherwise, or the device is heard again after longer than a report stays fresh (its
     * links were shown disconnected meanwhile). An agent's periodic report alone changes nothing.
     */
    static boolean changed(Optional<DeviceReport> before, Optional<DeviceReport> after) {
        if (before.isEmpty() || after.isEmpty()) {
            return before.isPresent() != after.isPresent();
        }
        DeviceReport then = before.get();
        DeviceReport now = after.get();
        return !Objects.equals(then.tunnel(), now.tunnel()) || !Objects.equals(then.podNetwork(), now.podNetwork())
                || !Objects.equals(then.onboarding(), now.onboarding()) || !then.connected(now.heardAt());
    }

    /** When the report turns stale, so that the links are shown disconnected; empty when it is stale already or there is none. */
    Optional<Instant> staleAt() {
        return report.filter(r -> r.connected(now)).map(r -> r.heardAt().plus(DeviceReport.FRESH));
    }

    /** The onboarding check as last reported, whether or not the report is fresh (a passed check stays passed). */
    Optional<DeviceReport.OnboardingReport> onboarding() {
        return report.map(DeviceReport::onboarding);
    }

    MachineLink tunnel() {
        return observe(DeviceReport::tunnel,
                "the device reports no tunnel (provisioned before tunnels existed: run its provisioning script again)");
    }

    MachineLink podNetwork() {
        return observe(DeviceReport::podNetwork, "the device reports no pod network (provisioned before the"
                + " pod network existed, or with EDGEPLANE_CNI=none: run its provisioning script again)");
    }

    private MachineLink observe(Function<DeviceReport, LinkReport> link, String whenUnreported) {
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
