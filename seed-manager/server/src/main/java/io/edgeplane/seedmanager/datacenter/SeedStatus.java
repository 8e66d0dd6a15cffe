package io.edgeplane.seedmanager.datacenter;

import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/**
 * The active seed and what the last check of its file found. While a bad edit is pending,
 * {@code lastReload} is {@code rejected} and the other fields still describe the active seed.
 *
 * @param name     metadata.name of the active seed
 * @param file         the seed file as configured
 * @param generation   1 for the seed loaded at startup, +1 for each change applied since
 * @param checksum     sha256 (hex) of the file content the active seed was read from
 * @param activeSince  when the active seed was loaded
 * @param lastReload   result of the latest check of the file
 */
@Serdeable
public record SeedStatus(String name,
                         String file,
                         long generation,
                         String checksum,
                         Instant activeSince,
                         ReloadResult lastReload) {

    SeedStatus withLastReload(ReloadResult result) {
        return new SeedStatus(name, file, generation, checksum, activeSince, result);
    }
}
