package io.edgeplane.testbed.images;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;

/**
 * The Go sources of one test image (e2e/testbed/images/&lt;name&gt;), packaged on the classpath.
 * Sources are standard library only, so building them never downloads a module.
 */
public record TestImageSource(String name, List<String> files) {
    static final String RESOURCE_ROOT = "edgeplane/testbed/images/";

    public TestImageSource {
        files = List.copyOf(files);
    }

    /** A single-package program: go.mod plus main.go. */
    public static TestImageSource program(String name) {
        return new TestImageSource(name, List.of("go.mod", "main.go"));
    }

    /** SHA-256 over the file names and contents: the cache key of everything built from them. */
    public String contentHash() {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            sha.update(name.getBytes(StandardCharsets.UTF_8));
            for (String file : files) {
                sha.update((byte) 0);
                sha.update(file.getBytes(StandardCharsets.UTF_8));
                sha.update((byte) 0);
                sha.update(read(file));
            }
            return HexFormat.of().formatHex(sha.digest());
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Copies the sources into {@code dir} (go cannot build from a jar) and returns it. */
    public Path extractTo(Path dir) {
        try {
            for (String file : files) {
                Path target = dir.resolve(file);
                Files.createDirectories(target.getParent());
                Files.write(target, read(file));
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract test image " + name + " to " + dir, e);
        }
    }

    private byte[] read(String file) {
        String resource = RESOURCE_ROOT + name + "/" + file;
        try (InputStream in = TestImageSource.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("test image source " + resource + " is not on the classpath"
                        + " (is e2e/testbed/images packaged as a resource?)");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
