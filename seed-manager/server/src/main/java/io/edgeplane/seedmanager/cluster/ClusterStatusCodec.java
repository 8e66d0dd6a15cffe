package io.edgeplane.seedmanager.cluster;

import io.micronaut.serde.ObjectMapper;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.UncheckedIOException;

/** Cluster status to and from its stored JSON. */
@Singleton
public class ClusterStatusCodec {
    private final ObjectMapper json;

    public ClusterStatusCodec(ObjectMapper json) {
        this.json = json;
    }

    public String write(ClusterStatus status) {
        try {
            return json.writeValueAsString(status);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public ClusterStatus read(String stored) {
        if (stored == null || stored.isBlank() || stored.equals("{}")) {
            return ClusterStatus.empty();
        }
        try {
            return json.readValue(stored, ClusterStatus.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
