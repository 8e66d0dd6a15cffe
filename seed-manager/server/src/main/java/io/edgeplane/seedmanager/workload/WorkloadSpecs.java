package io.edgeplane.seedmanager.workload;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.MapperFeature;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.json.JsonMapper;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/** Canonical forms of a {@link WorkloadSpec}: its hash (which names its objects) and its configuration file. */
public final class WorkloadSpecs {
    private static final JsonMapper CANONICAL = JsonMapper.builder()
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS)
            .enable(MapperFeature.SORT_PROPERTIES_ALPHABETICALLY)
            .build();

    private WorkloadSpecs() {
    }

    /**
     * Ten hex digits of the SHA-256 of the canonical JSON: equal specs, equal hash, whatever the key
     * order. The target devices are left out: the hash names what runs on one device (its static pod,
     * its configuration directory), which adding or removing another device does not change.
     */
    public static String hash(WorkloadSpec spec) {
        try {
            WorkloadSpec pod = new WorkloadSpec(spec.appName(), spec.appVersion(), spec.containers(), spec.configuration(), List.of());
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(CANONICAL.writeValueAsBytes(pod));
            return HexFormat.of().formatHex(digest).substring(0, 10);
        } catch (JsonProcessingException | NoSuchAlgorithmException e) {
            throw new IllegalStateException("cannot hash workload spec", e);
        }
    }

    /** The configuration as the containers read it: JSON (which is YAML too), keys sorted, one trailing newline. */
    public static String configurationFile(WorkloadSpec spec) {
        try {
            return CANONICAL.writerWithDefaultPrettyPrinter().writeValueAsString(spec.configuration()) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot write workload configuration", e);
        }
    }
}
