package io.edgeplane.seedmanager.binaries;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.stream.Collectors;

/** Writes platform directories the way fetch-binaries.sh leaves them, with small stand-in programs. */
final class FakeBinaries {
    private FakeBinaries() {
    }

    /** A complete directory: each component executable and listed in SHA256SUMS. */
    static void complete(BinariesDirectory directory, Platform platform, List<String> components) {
        Path dir = directory.dir(platform);
        for (String component : components) {
            write(dir.resolve(component), "#!/bin/sh\necho " + component + " " + platform + "\n");
        }
        writeSums(dir, components);
    }

    static void writeSums(Path dir, List<String> components) {
        String sums = components.stream()
                .map(c -> BinariesDirectory.sha256(dir.resolve(c)).orElse("0".repeat(64)) + "  " + c)
                .collect(Collectors.joining("\n", "", "\n"));
        try {
            Files.writeString(dir.resolve(BinariesDirectory.SUMS), sums);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
            Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwxr-xr-x"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
