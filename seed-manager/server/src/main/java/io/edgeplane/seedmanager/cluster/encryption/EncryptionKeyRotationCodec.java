package io.edgeplane.seedmanager.cluster.encryption;

import io.edgeplane.seedmanager.persistence.JsonColumns;
import io.micronaut.core.type.Argument;
import jakarta.inject.Singleton;

/** A rotation to and from its stored JSON. */
@Singleton
public class EncryptionKeyRotationCodec {
    private final JsonColumns columns;

    public EncryptionKeyRotationCodec(JsonColumns columns) {
        this.columns = columns;
    }

    public String write(EncryptionKeyRotation rotation) {
        return columns.write(rotation);
    }

    public EncryptionKeyRotation read(String stored) {
        return columns.read(stored, Argument.of(EncryptionKeyRotation.class));
    }
}
