package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceReport.CheckReport;
import io.edgeplane.seedmanager.workload.device.DeviceReport.OnboardingReport;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadEntryBuilder;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Which devices a workload waits for: those that have not passed the onboarding check they are asked for now. */
class OnboardingGateTest {
    private static final Instant NOW = Instant.parse("2026-12-06T11:20:00Z");

    private static GenericKubernetesResource object(String node, long request, Long passed) {
        return DeviceWorkloadEntryBuilder.onboarding(node, Map.of("request", request, "image", "reg.lab/pause:3.10"), passed);
    }

    private static DeviceReport report(String node, CheckReport... checks) {
        return new DeviceReport(node, NOW, 0, List.of(), List.of(), null, null, new OnboardingReport(1, NOW, List.of(checks)));
    }

    @Test
    void aDeviceThatPassedTheCurrentRequestOrAlreadyHoldsTheWorkloadIsNotHeld() {
        Map<String, String> held = OnboardingGate.held(List.of("edge-a", "edge-b", "edge-c", "edge-d"),
                Map.of("edge-a", object("edge-a", 1, 1L), "edge-b", object("edge-b", 2, 1L), "edge-c", object("edge-c", 1, null)),
                Set.of("edge-c"),
                Map.of("edge-b", report("edge-b", new CheckReport("image", false, "cannot pull reg.lab/pause:3.10"))));
        assertThat(held).containsOnlyKeys("edge-b", "edge-d");
        assertThat(held.get("edge-b")).isEqualTo("on edge-b: waiting for the device to pass its onboarding check"
                + " (image: cannot pull reg.lab/pause:3.10)");
        assertThat(held.get("edge-d")).endsWith("(not checked yet)");
    }

    @Test
    void theHeldDevicesReasonReplacesTheWaitForItsAgentAndNothingMovesWhileOnlyTheyAreOpen() {
        Map<String, String> held = Map.of("edge-b", "on edge-b: waiting for the device to pass its onboarding check (not checked yet)");
        List<WorkloadStatus.NodeState> states = List.of(new WorkloadStatus.NodeState("edge-a", WorkloadState.running, null),
                new WorkloadStatus.NodeState("edge-b", WorkloadState.deploying, "on edge-b: waiting for the device agent to take version 1"));
        List<WorkloadStatus.NodeState> explained = OnboardingGate.explain(states, held);
        assertThat(explained.get(1).message()).isEqualTo(held.get("edge-b"));
        assertThat(explained.get(0)).isEqualTo(states.get(0));
        assertThat(OnboardingGate.onlyHeldOpen(explained, held)).isTrue();
        assertThat(OnboardingGate.onlyHeldOpen(List.of(new WorkloadStatus.NodeState("edge-a", WorkloadState.deploying, null),
                explained.get(1)), held)).isFalse();
        assertThat(OnboardingGate.onlyHeldOpen(explained, Map.of())).isFalse();
    }
}
