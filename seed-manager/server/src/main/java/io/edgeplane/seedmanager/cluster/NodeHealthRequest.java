package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.cluster.controlplane.NodeHealth;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;

/** The node-health timeouts of a new cluster; see {@link NodeHealth} for what each one changes. */
@Serdeable
@Schema(description = "node-health timeouts; an absent one keeps the Kubernetes default")
public record NodeHealthRequest(
        @Schema(description = "seconds a node may be silent before it is marked NotReady (Kubernetes default 50)", example = "40")
        @Nullable @Min(NodeHealth.MIN_GRACE_PERIOD_SECONDS) @Max(NodeHealth.MAX_GRACE_PERIOD_SECONDS)
        Integer gracePeriodSeconds,
        @Schema(description = "seconds other pods stay on such a node before eviction (Kubernetes default 300); "
                + "Edgeplane workloads are never evicted", example = "300")
        @Nullable @Min(NodeHealth.MIN_EVICTION_SECONDS) @Max(NodeHealth.MAX_EVICTION_SECONDS)
        Integer evictionSeconds) {

    NodeHealth toNodeHealth() {
        return new NodeHealth(gracePeriodSeconds, evictionSeconds);
    }
}
