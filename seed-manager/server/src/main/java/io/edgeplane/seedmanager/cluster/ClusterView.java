package io.edgeplane.seedmanager.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.edgeplane.seedmanager.cluster.controlplane.NodeHealth;
import io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotation;
import io.micronaut.core.annotation.Introspected;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * A cluster as the API shows it; {@code nodeHealth} only when some timeout is set (else the Kubernetes defaults apply).
 * {@code podCidr} is the range each device gets its own /24 of.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record ClusterView(String name, String project, String datacenter, String version,
                          @Schema(type = "object") @Nullable NodeHealth nodeHealth,
                          @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "10.244.0.0/14",
                                  description = "the IPv4 range pods get addresses from; each device has its own /24 of it")
                          String podCidr,
                          ClusterPhase phase,
                          long generation, long observedGeneration,
                          List<ClusterStatus.ComponentCondition> conditions, @Nullable String endpoint,
                          Map<String, Instant> certificateExpiry, @Nullable String message, @Schema(type = "object") @Nullable Tunnels tunnels,
                          @Schema(description = "names of the keys Secrets are encrypted with in etcd, the writing key first; "
                                  + "absent until the reconciler reported them")
                          @Nullable List<String> encryptionKeys,
                          @Schema(type = "object") @Nullable EncryptionKeyRotation encryptionKeyRotation,
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

    static ClusterView of(Cluster cluster, ClusterStatus status, @Nullable Tunnels tunnels, @Nullable EncryptionKeyRotation rotation) {
        NodeHealth health = cluster.nodeHealth();
        return new ClusterView(cluster.name(), cluster.project(), cluster.datacenter(), cluster.version(),
                health.isDefault() ? null : health, cluster.podCidr(), cluster.phase(),
                cluster.generation(), cluster.observedGeneration(), status.conditions(), status.endpoint(),
                status.certificateExpiry(), status.message(), tunnels, status.encryptionKeys(), rotation, cluster.createdAt());
    }
}
