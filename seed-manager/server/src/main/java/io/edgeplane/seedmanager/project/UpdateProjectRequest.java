package io.edgeplane.seedmanager.project;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

/** The body of {@code PATCH /api/v1/projects/{project}}: each field present replaces the stored one, absent ones stay. */
@Serdeable
@Schema(description = "Changes to a project; absent fields stay as they are")
public record UpdateProjectRequest(
        @Schema(description = "a human-readable name", example = "Plant A")
        @Nullable @Size(max = 200) String displayName,
        @Schema(description = "replaces the project's quota; {\"clusters\": null} removes the cluster limit", type = "object")
        @Nullable @Valid ProjectQuota quota) {
}
