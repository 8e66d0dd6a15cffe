package io.edgeplane.imagebase;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

/** Files that appear complete or not at all: written beside their final name, then renamed. */
final class AtomicFiles {

    private AtomicFiles() {
    }

    static void write(Path file, byte[] content) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = Files.createTempFile(file.getParent(), "." + file.getFileName(), ".partial");
        try {
            Files.write(partial, content);
            publish(partial, file);
        } finally {
            Files.deleteIfExists(partial);
        }
    }

    /** Moves a finished file into place; a reader sees the old file or the new one. */
    static void publish(Path finished, Path file) throws IOException {
        Files.move(finished, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** {@code file} as a hard link to {@code source} (a copy across file systems), replaced atomically. */
    static void link(Path source, Path file) throws IOException {
        Files.createDirectories(file.getParent());
        Path partial = file.resolveSibling("." + file.getFileName() + ".partial");
        Files.deleteIfExists(partial);
        try {
            Files.createLink(partial, source);
        } catch (IOException | UnsupportedOperationException e) {
            Files.copy(source, partial, StandardCopyOption.REPLACE_EXISTING);
        }
        publish(partial, file);
    }
}
