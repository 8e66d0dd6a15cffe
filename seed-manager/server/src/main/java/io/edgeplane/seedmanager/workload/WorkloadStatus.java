package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.workload.device.DeviceActionOutcome;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;
import java.util.List;

/**
 * What the reconciler last saw of a workload: a message for the operator, warnings, when the
 * cluster last reported on it, the state per device, and pre-pull progress of the staged version
 * per device and image.
 */
@Serdeable
public record WorkloadStatus(@Nullable String message,
                             List<String> warnings,
                             @Nullable Instant lastSeen,
                             List<NodeState> nodes,
                             @Nullable Staged staged,
                             @Nullable List<DeviceAction> deviceActions) {

    public static WorkloadStatus empty() {
        return new WorkloadStatus(null, List.of(), null, List.of(), null, List.of());
    }

    public WorkloadStatus withMessage(@Nullable String message) {
        return new WorkloadStatus(message, warnings, lastSeen, nodes, staged, deviceActions);
    }

    /**
     * An action made on a device with its local command, as the seed manager decided it:
     * {@code adopted} into the workload, or {@code conflict} (the operator's state was kept).
     */
    @Serdeable
    public record DeviceAction(String node, long seq, String action, Instant at, String cause, DeviceActionOutcome outcome,
                               String message) {
    }

    @Serdeable
    public record NodeState(String node, WorkloadState state, @Nullable String message) {
    }

    @Serdeable
    public record Staged(@Nullable String message, List<NodeProgress> nodes) {
    }

    @Serdeable
    public record NodeProgress(String node, List<ImageProgress> images) {
    }

    @Serdeable
    public record ImageProgress(String image, ImagePullState state, @Nullable String message) {
    }
}
