package io.edgeplane.seedmanager.project;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A stored project token. The secret itself is never stored, only its SHA-256. */
@MappedEntity("project_tokens")
public record ProjectToken(@Id String id,
                           String project,
                           String role,
                           @Nullable String description,
                           byte[] secretHash,
                           String createdBy,
                           Instant createdAt,
                           Instant expiresAt,
                           @Nullable Instant revokedAt) {

    public boolean usableAt(Instant now) {
        return revokedAt == null && now.isBefore(expiresAt);
    }
}
