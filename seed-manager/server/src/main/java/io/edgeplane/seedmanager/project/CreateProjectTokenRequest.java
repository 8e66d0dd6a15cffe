package io.edgeplane.seedmanager.project;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

import java.time.Instant;

/** The body of {@code POST /api/v1/projects/{project}/tokens}. */
@Serdeable
@Schema(description = "A new project token")
public record CreateProjectTokenRequest(
        @NotNull TokenRole role,
        @Schema(description = "what the token is for", example = "CI pipeline")
        @Nullable @Size(max = 200) String description,
        @Schema(description = "when the token stops working (RFC 3339); 24 hours from now when absent, at most 365 days away",
                example = "2030-01-31T12:00:00Z")
        @Nullable Instant expiresAt) {
}
