package io.edgeplane.seedmanager.cluster;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** An admin kubeconfig handed out for a cluster, as the API lists it (never the credential itself). */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "An admin kubeconfig handed out for a cluster")
public record KubeconfigView(String id,
                             @Schema(description = "the Kubernetes user the certificate names", example = "edgeplane:admin:k3x9q2m1z0ab")
                             String username,
                             @Schema(description = "who asked for it: admin or token:<id>")
                             String issuedBy,
                             Instant issuedAt,
                             Instant expiresAt,
                             @Nullable Instant revokedAt) {

    static KubeconfigView of(ClusterCredential credential) {
        return new KubeconfigView(credential.id(), credential.username(), credential.issuedBy(), credential.issuedAt(),
                credential.expiresAt(), credential.revokedAt());
    }

    /** Sorts by issue time, then id; fixed width, so text order is time order. */
    String sortKey() {
        return String.format("%020d/%s", ChronoUnit.MICROS.between(Instant.EPOCH, issuedAt), id);
    }
}
