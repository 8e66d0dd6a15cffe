package io.edgeplane.seedmanager.cluster;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/** The body of {@code PATCH .../clusters/{cluster}}: a newer supported version, at most one minor version ahead. */
@Serdeable
@Schema(description = "A version change")
public record UpgradeClusterRequest(
        @Schema(description = "the supported Kubernetes version to move to, at most one minor version ahead", example = "v1.37.1")
        @NotNull @Size(max = 32) @Pattern(regexp = CreateClusterRequest.KUBERNETES_VERSION, message = "must be a Kubernetes version such as v1.36.3")
        String version) {
}
