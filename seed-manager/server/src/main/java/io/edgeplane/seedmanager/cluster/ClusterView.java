package io.edgeplane.seedmanager.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.edgeplane.seedmanager.cluster.controlplane.NodeHealth;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** A cluster as the API shows it; {@code nodeHealth} only when some timeout is set (else the Kubernetes defaults apply). */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterView(String name, String project, String datacenter, String version,
                          @Schema(type = "object") @Nullable NodeHealth nodeHealth, ClusterPhase phase,
                          long generation, long observedGeneration,
                          List<ClusterStatus.ComponentCondition> conditions, @Nullable String endpoint,
                          Map<String, Instant> certificateExpiry, @Nullable String message, @Nullable Tunnels tunnels,
                          Instant createdAt) {

    /**
     * The devices' tunnels, as their device agents last reported them.
     *
     * @param devices   devices of the cluster
     * @param connected those whose tunnel is up
     */
    @Serdeable
    @Introspected
    public record Tunnels(long devices, long connected) {
    }

    static ClusterView of(Cluster cluster, ClusterStatus status, @Nullable Tunnels tunnels) {
        NodeHealth health = cluster.nodeHealth();
        return new ClusterView(cluster.name(), cluster.project(), cluster.datacenter(), cluster.version(),
                health.isDefault() ? null : health, cluster.phase(),
                cluster.generation(), cluster.observedGeneration(), status.conditions(), status.endpoint(),
                status.certificateExpiry(), status.message(), tunnels, cluster.createdAt());
    }
}
