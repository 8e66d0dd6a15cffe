package io.edgeplane.testbed;

import java.nio.file.Path;
import java.util.Optional;

/**
 * The root of what the test bed keeps between runs (Kubernetes binaries, CoreDNS, test images, Go
 * helper modules): {@code EDGEPLANE_CACHE_DIR}, as fetch-binaries.sh reads it, or
 * {@code ~/.cache/edgeplane}. Pointing it at an empty directory rehearses a first run.
 */
public final class CacheDirectory {
    private CacheDirectory() {
    }

    public static Path root() {
        return Optional.ofNullable(System.getenv("EDGEPLANE_CACHE_DIR")).filter(s -> !s.isBlank()).map(Path::of)
                .orElseGet(() -> Path.of(System.getProperty("user.home"), ".cache", "edgeplane"));
    }
}
