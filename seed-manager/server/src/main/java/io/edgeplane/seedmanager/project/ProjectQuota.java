package io.edgeplane.seedmanager.project;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** What a project may hold, like a KKP project quota. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
@Schema(description = "limits of a project")
public record ProjectQuota(
        @Schema(description = "how many clusters the project may have (those being deleted count until they are gone); "
                + "null for no limit", example = "2")
        @Nullable @Min(0) @Max(MAX_CLUSTERS) Integer clusters) {
    public static final int MAX_CLUSTERS = 10_000;
}
