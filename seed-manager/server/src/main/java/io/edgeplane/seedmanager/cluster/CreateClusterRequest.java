package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.api.Names;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

/**
 * The body of {@code POST /api/v1/projects/{project}/clusters}. That the datacenter exists and is an
 * edge datacenter, that the version is supported, and that the pod range is usable ({@link PodCidrRules})
 * is checked by {@link ClusterService}.
 */
@Serdeable
@Schema(description = "A new cluster")
public record CreateClusterRequest(
        @Schema(description = "the cluster's name, a DNS-1123 label unique in its project", example = "line-1")
        @NotNull @Size(min = 1, max = Names.DNS_LABEL_MAX) @Pattern(regexp = Names.DNS_LABEL, message = Names.DNS_LABEL_MESSAGE)
        String name,
        @Schema(description = "an edge datacenter of the active seed (GET /api/v1/datacenters)", example = "factory-bremen")
        @NotNull @Size(min = 1, max = Names.DNS_LABEL_MAX)
        String datacenter,
        @Schema(description = "a Kubernetes version the seed manager supports; its default when absent", example = "v1.36.3")
        @Nullable @Size(max = 32) @Pattern(regexp = KUBERNETES_VERSION, message = "must be a Kubernetes version such as v1.36.3")
        String version,
        @Schema(description = "how fast the cluster gives up on a silent node; the Kubernetes defaults when absent", type = "object")
        @Nullable @Valid
        NodeHealthRequest nodeHealth,
        @Schema(description = "the IPv4 range pods get addresses from, a prefix between /8 and /22 outside the service range "
                + ClusterTargets.SERVICE_CIDR + "; each device gets its own /24 of it. Fixed once the cluster exists",
                example = "10.244.0.0/14", defaultValue = PodCidrRules.DEFAULT)
        @Nullable @Size(max = 64)
        String podCidr) {
    static final String KUBERNETES_VERSION = "^v[0-9]+\\.[0-9]+\\.[0-9]+$";
}
