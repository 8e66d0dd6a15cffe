package io.edgeplane.seedmanager.project;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * A project token as the API shows it. {@code token} (the secret) is present only in the response
 * that created it.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
public record TokenView(String id, String project, TokenRole role, @Nullable String description,
                        String createdBy, Instant createdAt, Instant expiresAt, @Nullable Instant revokedAt,
                        @Nullable String token) {

    static TokenView of(ProjectToken t, @Nullable String secret) {
        return new TokenView(t.id(), t.project(), TokenRole.valueOf(t.role()), t.description(), t.createdBy(), t.createdAt(),
                t.expiresAt(), t.revokedAt(), secret);
    }
}
