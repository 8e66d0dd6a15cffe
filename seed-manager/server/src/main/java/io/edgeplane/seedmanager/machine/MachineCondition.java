package io.edgeplane.seedmanager.machine;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * One condition of a device, as Kubernetes shapes them: {@code True}, {@code False} or {@code Unknown} (not known
 * yet), why in words, and since when it holds.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record MachineCondition(String type, String status, @Nullable String message, @Nullable Instant lastTransitionTime) {
    public static final String TRUE = "True";
    public static final String FALSE = "False";
    public static final String UNKNOWN = "Unknown";

    public boolean isTrue() {
        return TRUE.equals(status);
    }
}
