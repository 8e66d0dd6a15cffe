package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.workload.device.DeviceReport.CheckReport;
import io.edgeplane.seedmanager.workload.device.DeviceReport.OnboardingReport;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/** A device's onboarding check as conditions, and the Onboarded condition that gates new workloads: one test per way there. */
class OnboardingConditionsTest {
    private static final Instant NOW = Instant.parse("2026-12-06T11:20:00Z");
    private static final MachineLink UP = new MachineLink(MachineLink.CONNECTED, NOW, null);
    private static final MachineLink DOWN = new MachineLink(MachineLink.DISCONNECTED, NOW, "the tunnel agent does not answer");

    private static Optional<OnboardingReport> checked(long request, CheckReport... checks) {
        return Optional.of(new OnboardingReport(request, NOW.minusSeconds(5), List.of(checks)));
    }

    private static CheckReport[] allPassed() {
        return new CheckReport[]{new CheckReport("image", true, "pulled and ran"), new CheckReport("clock", true, "within 1s"),
                new CheckReport("disk", true, "9000 MiB free"), new CheckReport("memory", true, "3000 MiB available")};
    }

    private static MachineCondition condition(OnboardingConditions.Evaluated e, String type) {
        return e.conditions().stream().filter(c -> c.type().equals(type)).findFirst().orElseThrow();
    }

    @Test
    void everyCheckPassedTheCertificateIssuedAndTheTunnelUpOnboardsTheDevice() {
        OnboardingConditions.Evaluated e = OnboardingConditions.evaluate(1, checked(1, allPassed()), ServingCsrs.ISSUED, UP,
                MachineStatus.empty(), NOW);
        assertThat(e.onboarded()).isEqualTo(1L);
        assertThat(e.conditions()).extracting(MachineCondition::type).containsExactly("ImageRuns", "ClockInSync", "DiskFree",
                "MemoryFree", "ServingCertificateIssued", "TunnelConnected", "Onboarded");
        assertThat(e.conditions()).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo("True");
            assertThat(c.lastTransitionTime()).isEqualTo(NOW);
        });
    }

    @Test
    void aFailedCheckHoldsTheDeviceAndSaysWhy() {
        OnboardingConditions.Evaluated e = OnboardingConditions.evaluate(1, checked(1, new CheckReport("image", false,
                        "the container runtime cannot pull reg.lab/pause:3.10: connection refused"), new CheckReport("clock", true, "ok"),
                new CheckReport("disk", true, "ok"), new CheckReport("memory", true, "ok")), ServingCsrs.ISSUED, UP, MachineStatus.empty(), NOW);
        assertThat(e.onboarded()).isNull();
        assertThat(condition(e, "ImageRuns").status()).isEqualTo("False");
        MachineCondition onboarded = condition(e, "Onboarded");
        assertThat(onboarded.status()).isEqualTo("False");
        assertThat(onboarded.message()).isEqualTo("failed the onboarding check; new workloads wait until it passes: "
                + "ImageRuns: the container runtime cannot pull reg.lab/pause:3.10: connection refused");
    }

    @Test
    void noReportAnOlderRequestOrARunUnderWayIsUnknown() {
        OnboardingConditions.Evaluated none = OnboardingConditions.evaluate(1, Optional.empty(), ServingCsrs.ISSUED, null,
                MachineStatus.empty(), NOW);
        assertThat(condition(none, "ImageRuns").message()).startsWith("the device agent has reported no onboarding check yet");
        assertThat(condition(none, "Onboarded").status()).isEqualTo("Unknown");
        assertThat(condition(none, "Onboarded").message()).startsWith("checking; new workloads wait: ImageRuns: ");

        OnboardingConditions.Evaluated older = OnboardingConditions.evaluate(2, checked(1, allPassed()), ServingCsrs.ISSUED, null,
                MachineStatus.empty(), NOW);
        assertThat(condition(older, "DiskFree").status()).isEqualTo("Unknown");
        assertThat(condition(older, "DiskFree").message()).isEqualTo("checking (request 2)");

        Optional<OnboardingReport> running = Optional.of(new OnboardingReport(2, null, List.of()));
        assertThat(condition(OnboardingConditions.evaluate(2, running, ServingCsrs.ISSUED, null, MachineStatus.empty(), NOW), "Onboarded")
                .status()).isEqualTo("Unknown");
    }

    @Test
    void aPendingOrRefusedServingCertificateHoldsTheDevice() {
        assertThat(condition(OnboardingConditions.evaluate(1, checked(1, allPassed()), "Pending", null, MachineStatus.empty(), NOW),
                "ServingCertificateIssued").status()).isEqualTo("Unknown");
        OnboardingConditions.Evaluated refused = OnboardingConditions.evaluate(1, checked(1, allPassed()),
                "csr-x denied: the node's addresses do not match", null, MachineStatus.empty(), NOW);
        assertThat(condition(refused, "ServingCertificateIssued").status()).isEqualTo("False");
        assertThat(refused.onboarded()).isNull();
    }

    @Test
    void aTunnelDownHoldsANewDeviceButNoTunnelConditionWhereNoneIsBuilt() {
        OnboardingConditions.Evaluated down = OnboardingConditions.evaluate(1, checked(1, allPassed()), ServingCsrs.ISSUED, DOWN,
                MachineStatus.empty(), NOW);
        assertThat(condition(down, "TunnelConnected").message()).isEqualTo("the tunnel agent does not answer");
        assertThat(down.onboarded()).isNull();
        OnboardingConditions.Evaluated none = OnboardingConditions.evaluate(1, checked(1, allPassed()), ServingCsrs.ISSUED, null,
                MachineStatus.empty(), NOW);
        assertThat(none.conditions()).extracting(MachineCondition::type).doesNotContain("TunnelConnected");
        assertThat(none.onboarded()).isEqualTo(1L);
    }

    @Test
    void aPassedRequestStaysPassedWhenALinkDropsUntilANewRequest() {
        MachineStatus passed = MachineStatus.empty().withOnboarding(
                OnboardingConditions.evaluate(1, checked(1, allPassed()), ServingCsrs.ISSUED, UP, MachineStatus.empty(), NOW).conditions(), 1L);
        Instant later = NOW.plusSeconds(600);
        OnboardingConditions.Evaluated dropped = OnboardingConditions.evaluate(1, checked(1, allPassed()), ServingCsrs.ISSUED, DOWN, passed,
                later);
        assertThat(dropped.onboarded()).isEqualTo(1L);
        assertThat(condition(dropped, "TunnelConnected").status()).isEqualTo("False");
        assertThat(condition(dropped, "TunnelConnected").lastTransitionTime()).isEqualTo(later);
        assertThat(condition(dropped, "Onboarded").lastTransitionTime()).as("unchanged since it passed").isEqualTo(NOW);

        OnboardingConditions.Evaluated again = OnboardingConditions.evaluate(2, checked(1, allPassed()), ServingCsrs.ISSUED, UP, passed, later);
        assertThat(again.onboarded()).as("a new request checks again").isNull();
        assertThat(condition(again, "Onboarded").status()).isEqualTo("Unknown");
    }
}
