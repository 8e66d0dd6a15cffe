package io.edgeplane.seedmanager.cluster.encryption;

import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/** A rotation to and from its stored JSON. */
@Singleton
public class EncryptionKeyRotationCodec {
    private final ObjectMapper json;

    public EncryptionKeyRotationCodec(ObjectMapper json) {
        this.json = json;
    }

    public String write(EncryptionKeyRotation rotation) {
        try {
            return json.writeValueAsString(rotation);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public EncryptionKeyRotation read(String stored) {
        try {
            return json.readValue(stored, EncryptionKeyRotation.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
