package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.workload.device.DeviceReport.CheckReport;
import io.edgeplane.seedmanager.workload.device.DeviceReport.OnboardingReport;
import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;

/**
 * A device's onboarding check as conditions: one per check the device agent runs on the device (its runtime pulls
 * and runs the datacenter's image, its clock, free disk, free memory), one for its kubelet's serving certificate, one
 * for its tunnel where tunnels are built, and {@value #ONBOARDED}, which gates placing new workloads on the device.
 * {@value #ONBOARDED} holds once every other condition held for the current request, and stays for that request
 * (a tunnel that drops later does not take the device's work away; only a new request checks again).
 */
public final class OnboardingConditions {
    public static final String ONBOARDED = "Onboarded";
    static final String IMAGE_RUNS = "ImageRuns";
    static final String CLOCK_IN_SYNC = "ClockInSync";
    static final String DISK_FREE = "DiskFree";
    static final String MEMORY_FREE = "MemoryFree";
    static final String SERVING_CERTIFICATE = "ServingCertificateIssued";
    static final String TUNNEL = "TunnelConnected";

    /** The agent's checks, by the names it reports them under (PROTOCOL.md, "The onboarding check"). */
    private static final List<String[]> DEVICE_CHECKS = List.of(
            new String[]{IMAGE_RUNS, "image"}, new String[]{CLOCK_IN_SYNC, "clock"},
            new String[]{DISK_FREE, "disk"}, new String[]{MEMORY_FREE, "memory"});

    private OnboardingConditions() {
    }

    /** The conditions and the request passed (kept from {@code previous} for the same request). */
    record Evaluated(List<MachineCondition> conditions, @Nullable Long onboarded) {
    }

    /**
     * @param request     the onboarding request the seed asks the device for
     * @param report      what the device's agent reported, if anything
     * @param serving     the kubelet's serving certificate as {@link ServingCsrs} tells it
     * @param tunnel      the device's tunnel, or null where the seed builds no tunnels
     * @param previous    the status before this pass: transition times and a passed request carry over
     */
    static Evaluated evaluate(long request, Optional<OnboardingReport> report, @Nullable String serving, @Nullable MachineLink tunnel,
                              MachineStatus previous, Instant now) {
        List<MachineCondition> checks = new ArrayList<>();
        for (String[] check : DEVICE_CHECKS) {
            checks.add(deviceCheck(check[0], check[1], request, report));
        }
        checks.add(servingCertificate(serving));
        if (tunnel != null) {
            checks.add(tunnel.connected() ? condition(TUNNEL, MachineCondition.TRUE, "connected")
                    : condition(TUNNEL, MachineCondition.FALSE, Optional.ofNullable(tunnel.reason()).orElse("disconnected")));
        }
        Long passed = previous.onboarded() != null && previous.onboarded() == request ? previous.onboarded()
                : checks.stream().allMatch(MachineCondition::isTrue) ? Long.valueOf(request) : null;
        checks.add(onboarded(passed, request, checks));
        List<MachineCondition> timed = checks.stream().map(c -> since(c, previous.conditionsOrNone(), now)).toList();
        return new Evaluated(timed, passed);
    }

    private static MachineCondition deviceCheck(String type, String name, long request, Optional<OnboardingReport> report) {
        if (report.isEmpty()) {
            return condition(type, MachineCondition.UNKNOWN, "the device agent has reported no onboarding check yet (a device"
                    + " provisioned before onboarding checks existed reports one once its provisioning script runs again)");
        }
        OnboardingReport r = report.get();
        if (r.request() != request || r.checkedAt() == null) {
            return condition(type, MachineCondition.UNKNOWN, "checking (request " + request + ")");
        }
        Optional<CheckReport> check = r.check(name);
        if (check.isEmpty()) {
            return condition(type, MachineCondition.UNKNOWN, "the device agent reported no " + name + " check");
        }
        return condition(type, check.get().passed() ? MachineCondition.TRUE : MachineCondition.FALSE, check.get().message());
    }

    private static MachineCondition servingCertificate(@Nullable String serving) {
        if (ServingCsrs.ISSUED.equals(serving)) {
            return condition(SERVING_CERTIFICATE, MachineCondition.TRUE, "the kubelet's serving certificate is issued");
        }
        if (serving == null || "Pending".equals(serving)) {
            return condition(SERVING_CERTIFICATE, MachineCondition.UNKNOWN, serving == null
                    ? "the kubelet has requested no serving certificate yet" : "the kubelet's serving certificate request is pending");
        }
        return condition(SERVING_CERTIFICATE, MachineCondition.FALSE, serving);
    }

    private static MachineCondition onboarded(@Nullable Long passed, long request, List<MachineCondition> checks) {
        if (passed != null) {
            return condition(ONBOARDED, MachineCondition.TRUE, "passed the onboarding check (request " + request + "): it gets workloads");
        }
        List<MachineCondition> failed = checks.stream().filter(c -> MachineCondition.FALSE.equals(c.status())).toList();
        List<MachineCondition> open = failed.isEmpty() ? checks.stream().filter(c -> !c.isTrue()).toList() : failed;
        String why = open.stream().map(c -> c.type() + ": " + c.message()).collect(Collectors.joining("; "));
        return condition(ONBOARDED, failed.isEmpty() ? MachineCondition.UNKNOWN : MachineCondition.FALSE,
                (failed.isEmpty() ? "checking; new workloads wait: " : "failed the onboarding check; new workloads wait until it passes: ") + why);
    }

    private static MachineCondition condition(String type, String status, String message) {
        return new MachineCondition(type, status, message, null);
    }

    /** The time of the last change of status: kept while the status stays, now when it changes. */
    private static MachineCondition since(MachineCondition now, List<MachineCondition> previous, Instant at) {
        Instant since = previous.stream().filter(p -> p.type().equals(now.type()) && p.status().equals(now.status())).findFirst()
                .map(MachineCondition::lastTransitionTime).orElse(at);
        return new MachineCondition(now.type(), now.status(), now.message(), since);
    }
}
