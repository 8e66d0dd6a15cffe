package io.edgeplane.testbed;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

/** The packaged bootstrap scripts, copied out of the classpath so that bash can run them. */
public final class BootstrapScripts {
    static final String RESOURCE_ROOT = "edgeplane/bootstrap-scripts/";
    private static final List<String> FILES = List.of("fetch-binaries.sh", "install-testbed-host.sh", "host-state.sh", "versions.env",
            "lib/lib.sh");

    private BootstrapScripts() {
    }

    /** Copies the scripts into a new temporary directory, for {@link #delete} once they ran. */
    public static Path extract() {
        try {
            return extractTo(Files.createTempDirectory("edgeplane-scripts-"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Removes a directory made by {@link #extract}. */
    public static void delete(Path dir) {
        try {
            TestBedRun.deleteTree(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot remove " + dir, e);
        }
    }

    /** Copies the scripts into {@code dir} and returns it. */
    public static Path extractTo(Path dir) {
        try {
            for (String name : FILES) {
                Path target = dir.resolve(name);
                Files.createDirectories(target.getParent());
                try (InputStream in = BootstrapScripts.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + name)) {
                    if (in == null) {
                        throw new IllegalStateException("bootstrap script " + name + " is not on the classpath");
                    }
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                if (name.endsWith(".sh")) {
                    Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rwxr-xr-x"));
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
