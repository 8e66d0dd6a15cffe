package io.edgeplane.seedmanager.workload.device;

import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** A device agent's status as the seed manager reads it, without an apiserver. */
class DeviceReportTest {

    @Test
    void heardAtIsTheApiserversTimeOfTheAgentsLastStatusWriteNotTheDevicesClock() {
        GenericKubernetesResource object = object(Map.of("actionsAcknowledged", 0), Map.of("heartbeatTime", "2001-01-01T00:00:00Z"),
                "2026-12-06T10:00:05Z");
        DeviceReport report = DeviceReport.of(object).orElseThrow();
        assertThat(report.heardAt()).isEqualTo(Instant.parse("2026-12-06T10:00:05Z"));
        assertThat(report.connected(Instant.parse("2026-12-06T10:00:40Z"))).isTrue();
        assertThat(report.connected(Instant.parse("2026-12-06T10:01:00Z"))).isFalse();
    }

    @Test
    void noStatusOrNoAgentWriteMeansNoReport() {
        assertThat(DeviceReport.of(object(Map.of(), Map.of(), "2026-12-06T10:00:05Z"))).isEmpty();
        GenericKubernetesResource seedOnly = object(Map.of(), Map.of("heartbeatTime", "x"), null);
        assertThat(DeviceReport.of(seedOnly)).isEmpty();
    }

    @Test
    void onlyActionsNotYetAcknowledgedAndWellFormedCountInSequenceOrder() {
        List<Map<String, Object>> actions = List.of(
                Map.of("seq", 3, "workload", "pumps", "action", "stop", "at", "2026-12-06T09:00:03Z", "basedOnGeneration", 7),
                Map.of("seq", 2, "workload", "pumps", "action", "apply", "at", "2026-12-06T09:00:02Z", "basedOnGeneration", 7,
                        "specHash", "abcdef0123", "version", "1.3.0", "cause", "maintenance shift"),
                Map.of("seq", 1, "workload", "pumps", "action", "start", "at", "2026-12-06T09:00:01Z", "basedOnGeneration", 6),
                Map.of("seq", 4, "workload", "pumps", "action", "stop", "at", "not a time"));
        DeviceReport report = DeviceReport.of(object(Map.of("actionsAcknowledged", 1), Map.of("actions", actions,
                "workloads", List.of(Map.of("name", "pumps", "generation", 7, "specHash", "abcdef0123", "run", false, "state", "stopped"))),
                "2026-12-06T10:00:05Z")).orElseThrow();
        assertThat(report.actions()).extracting(DeviceReport.LocalAction::seq).containsExactly(2L, 3L);
        assertThat(report.actions().get(0).cause()).isEqualTo("maintenance shift");
        assertThat(report.actions().get(1).cause()).isEmpty();
        assertThat(report.workload("pumps")).hasValueSatisfying(w -> {
            assertThat(w.state()).isEqualTo("stopped");
            assertThat(w.run()).isFalse();
            assertThat(w.generation()).isEqualTo(7);
        });
    }

    private static GenericKubernetesResource object(Map<String, Object> spec, Map<String, Object> status, String agentWrote) {
        GenericKubernetesResource object = new GenericKubernetesResource();
        ObjectMetaBuilder meta = new ObjectMetaBuilder().withName("edge-1").withNamespace("edgeplane-workloads")
                .addToManagedFields(new ManagedFieldsEntryBuilder().withManager("edgeplane-workload-pumps").withOperation("Apply")
                        .withTime("2026-12-06T11:00:00Z").build());
        if (agentWrote != null) {
            meta.addToManagedFields(new ManagedFieldsEntryBuilder().withManager(DeviceWorkloadsResource.AGENT_MANAGER)
                    .withOperation("Update").withSubresource("status").withTime(agentWrote).build());
        }
        object.setMetadata(meta.build());
        object.setAdditionalProperty("spec", spec);
        object.setAdditionalProperty("status", status);
        return object;
    }
}
