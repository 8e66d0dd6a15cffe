package io.edgeplane.seedmanager.cluster;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** An admin kubeconfig handed out for a cluster: its own user, bound to cluster-admin until revoked. */
@Serdeable
@MappedEntity("cluster_credentials")
public record ClusterCredential(@Id String id, String clusterId, String username, String issuedBy, Instant issuedAt,
                                Instant expiresAt, @Nullable Instant revokedAt) {
}
