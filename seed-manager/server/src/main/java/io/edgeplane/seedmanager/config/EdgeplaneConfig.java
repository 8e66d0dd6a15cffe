package io.edgeplane.seedmanager.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

/**
 * Seed-manager settings. Each one can be set by environment variable (EDGEPLANE_DATA_DIR, ...);
 * defaults live in application.yml.
 *
 * @param dataDir            where the embedded database, generated admin token and caches live
 * @param seedFile           the Seed YAML this manager serves
 * @param seedReloadInterval how often the seed file is checked for changes
 * @param adminToken         fixed admin token; when null one is generated into the data dir
 */
@ConfigurationProperties("edgeplane")
public record EdgeplaneConfig(Path dataDir,
                              Path seedFile,
                              Duration seedReloadInterval,
                              @Nullable String adminToken) {

    /** The data directory, created private (0700) if it does not exist yet. */
    public Path ensureDataDir() {
        Path dir = dataDir.toAbsolutePath();
        try {
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }
}
