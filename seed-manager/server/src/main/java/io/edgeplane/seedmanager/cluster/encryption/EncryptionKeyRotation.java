package io.edgeplane.seedmanager.cluster.encryption;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/**
 * A rotation of a cluster's Secrets encryption key as stored beside the cluster and shown by the API.
 * Key names only, never material.
 *
 * @param fromKey          the key Secrets were written with when the rotation started
 * @param toKey            the new key, once added
 * @param secretsContinue  where the rewrite of Secrets resumes (a Kubernetes list continue token); internal
 * @param secretsRewritten Secrets written back so far
 * @param message          what the current phase waits for, or the last problem met (retried); null when neither
 */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(name = "EncryptionKeyRotation", description = "The latest rotation of the cluster's Secrets encryption key")
public record EncryptionKeyRotation(EncryptionKeyRotationPhase phase,
                                    @Nullable String fromKey,
                                    @Nullable String toKey,
                                    @Schema(hidden = true) @Nullable String secretsContinue,
                                    long secretsRewritten,
                                    @Nullable String message,
                                    Instant startedAt,
                                    @Nullable Instant finishedAt) {

    /** As the API records it; the reconciler names the keys. */
    public static EncryptionKeyRotation requested(Instant now) {
        return new EncryptionKeyRotation(EncryptionKeyRotationPhase.Requested, null, null, null, 0, null, now, null);
    }

    /** The next phase; a problem of the previous one is over. */
    public EncryptionKeyRotation in(EncryptionKeyRotationPhase next) {
        return new EncryptionKeyRotation(next, fromKey, toKey, secretsContinue, secretsRewritten, null, startedAt, finishedAt);
    }

    public EncryptionKeyRotation withToKey(String key) {
        return new EncryptionKeyRotation(phase, fromKey, key, secretsContinue, secretsRewritten, message, startedAt, finishedAt);
    }

    /** Progress of the rewrite: {@code rewritten} more Secrets, resuming at {@code next} (null: from the start). */
    public EncryptionKeyRotation rewrote(long rewritten, @Nullable String next) {
        return new EncryptionKeyRotation(phase, fromKey, toKey, next, secretsRewritten + rewritten, null, startedAt, finishedAt);
    }

    public EncryptionKeyRotation withMessage(@Nullable String problem) {
        return new EncryptionKeyRotation(phase, fromKey, toKey, secretsContinue, secretsRewritten, problem, startedAt, finishedAt);
    }

    /** As the API shows it: the continue token is the reconciler's business. */
    public EncryptionKeyRotation shown() {
        return new EncryptionKeyRotation(phase, fromKey, toKey, null, secretsRewritten, message, startedAt, finishedAt);
    }

    public EncryptionKeyRotation done(Instant now) {
        return new EncryptionKeyRotation(EncryptionKeyRotationPhase.Done, fromKey, toKey, null, secretsRewritten, null, startedAt, now);
    }
}
