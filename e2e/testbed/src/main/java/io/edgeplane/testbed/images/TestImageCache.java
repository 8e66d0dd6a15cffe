package io.edgeplane.testbed.images;

import io.edgeplane.testbed.CacheDirectory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.UUID;

/**
 * Where built test-image binaries and archives are kept between runs, keyed by a content hash so
 * that a warm run reuses them and a changed source never does. {@code EDGEPLANE_TEST_IMAGES_DIR}
 * overrides the default {@code test-images} in the test bed's {@link CacheDirectory}.
 */
final class TestImageCache {
    private TestImageCache() {
    }

    static Path root() {
        return Optional.ofNullable(System.getenv("EDGEPLANE_TEST_IMAGES_DIR")).filter(s -> !s.isBlank()).map(Path::of)
                .orElseGet(() -> CacheDirectory.root().resolve("test-images"));
    }

    /** The directory of one cache entry, created if needed. */
    static Path entry(String contentHash) {
        try {
            return Files.createDirectories(root().resolve(contentHash));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create test-image cache entry under " + root(), e);
        }
    }

    /**
     * A not-yet-existing path next to {@code target}, so that {@link #publish} is an atomic rename
     * (not created here: {@code go build -o} refuses to overwrite a file that is not a binary).
     */
    static Path scratchFor(Path target) {
        return target.resolveSibling(target.getFileName() + "." + UUID.randomUUID() + ".partial");
    }

    /** Removes a scratch file left by a failed build (best effort: the build's own error matters more). */
    static void discard(Path scratch) {
        try {
            Files.deleteIfExists(scratch);
        } catch (IOException ignored) {
            // a stray *.partial file is harmless: entries are looked up by exact name
        }
    }

    /** Moves a finished file into place; concurrent builders of the same entry both end up with a whole file. */
    static Path publish(Path scratch, Path target) {
        try {
            return Files.move(scratch, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot move " + scratch + " to " + target, e);
        }
    }
}
