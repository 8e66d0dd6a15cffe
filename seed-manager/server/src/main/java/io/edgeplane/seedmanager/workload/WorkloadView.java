package io.edgeplane.seedmanager.workload;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A workload as the API shows it: its live version ({@code app}, {@code version}, {@code nodes},
 * {@code configuration}), the operator's start/stop wish ({@code run}), what was last observed
 * ({@code state}, {@code message}, {@code warnings}, {@code lastSeen}, {@code nodeStates}), what was done
 * on the devices themselves ({@code deviceActions}), and the
 * staged version with its pre-pull progress per device and image. A workload with only a staged
 * version shows the staged version's nodes and configuration and no {@code version}.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record WorkloadView(@Schema(description = "always Workload; tells a workload from a WorkloadList where either can answer",
                                   allowableValues = WorkloadView.KIND, requiredMode = Schema.RequiredMode.REQUIRED) String kind,
                           String name, String cluster, String title, String app, @Nullable String version, List<String> nodes,
                           @Schema(additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> configuration, boolean run, WorkloadState state, @Nullable String message,
                           List<String> warnings, @Nullable Instant lastSeen, List<WorkloadStatus.NodeState> nodeStates,
                           @Schema(description = "the latest actions made on the devices with their local command (edgeplane-device), newest first, as the seed manager decided them")
                           List<WorkloadStatus.DeviceAction> deviceActions,
                           @Schema(type = "object") @Nullable Staged staged, boolean deleteRequested, long generation, long observedGeneration,
                           Instant createdAt, Instant updatedAt) {

    /**
     * {@code state}: received, downloading, ready or failed; {@code nodes}: every target device with
     * the pre-pull state of every image of the version ({@code pending}, {@code downloading},
     * {@code present} or {@code failed}).
     */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Staged(String app, String version, WorkloadState state, boolean instantlyApply, @Nullable String message,
                         List<WorkloadStatus.NodeProgress> nodes,
                         @Schema(additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> configuration) {
    }

    /** The {@code kind} of every workload view. */
    public static final String KIND = "Workload";

    /** The answer to a batch: the views in request order. */
    @Serdeable
    @Schema(name = "WorkloadList")
    public record Items(@Schema(description = "always WorkloadList; tells a WorkloadList from a workload where either can answer",
                                allowableValues = Items.KIND, requiredMode = Schema.RequiredMode.REQUIRED) String kind,
                        List<WorkloadView> items) {
        public static final String KIND = "WorkloadList";

        public static Items of(List<WorkloadView> items) {
            return new Items(KIND, items);
        }
    }
}
