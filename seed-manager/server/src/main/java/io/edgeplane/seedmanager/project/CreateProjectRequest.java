package io.edgeplane.seedmanager.project;

import io.edgeplane.seedmanager.api.Names;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code POST /api/v1/projects}. */
@Serdeable
@Schema(description = "A new project")
public record CreateProjectRequest(
        @Schema(description = "the project's name, a DNS-1123 label", example = "plant-a")
        @NotNull @Size(min = 1, max = Names.DNS_LABEL_MAX) @Pattern(regexp = Names.DNS_LABEL, message = Names.DNS_LABEL_MESSAGE)
        String name,
        @Schema(description = "a human-readable name", example = "Plant A")
        @Nullable @Size(max = 200)
        String displayName,
        @Schema(description = "the project's quota; without one, edgeplane.projects.default-cluster-quota applies", type = "object")
        @Nullable @Valid
        ProjectQuota quota) {
}
