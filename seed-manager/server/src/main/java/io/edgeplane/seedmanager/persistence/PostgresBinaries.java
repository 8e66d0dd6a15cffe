package io.edgeplane.seedmanager.persistence;

import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.xz.XZCompressorInputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Stream;

/**
 * Locates the PostgreSQL server binaries: a configured installation, or the real PostgreSQL build
 * that ships inside a Maven artifact on the classpath, unpacked once into the data directory.
 */
final class PostgresBinaries {
    private static final Logger LOG = LoggerFactory.getLogger(PostgresBinaries.class);

    private PostgresBinaries() {
    }

    /** Returns the bin directory holding initdb, pg_ctl and postgres. */
    static Path resolve(String configuredBinDir, Path cacheDir) {
        if (configuredBinDir != null && !configuredBinDir.isBlank()) {
            Path bin = Path.of(configuredBinDir);
            for (String tool : new String[] {"initdb", "pg_ctl", "postgres"}) {
                if (!Files.isExecutable(bin.resolve(tool))) {
                    throw new EmbeddedPostgresException("EDGEPLANE_POSTGRES_BIN_DIR=" + bin + " has no executable " + tool);
                }
            }
            return bin;
        }
        return unpackBundled(cacheDir);
    }

    private static Path unpackBundled(Path cacheDir) {
        String resource = "postgres-linux-" + archName() + ".txz";
        String digest = sha256OfResource(resource);
        Path target = cacheDir.resolve(digest.substring(0, 16));
        if (Files.isRegularFile(target.resolve(".complete"))) {
            return target.resolve("bin");
        }
        LOG.info("unpacking bundled PostgreSQL into {}", target);
        try {
            Files.createDirectories(cacheDir);
            // Unpack beside the target and rename: a crash mid-way leaves no half-filled directory in use.
            Path staging = Files.createTempDirectory(cacheDir, "unpack-");
            try (InputStream in = resourceStream(resource);
                 TarArchiveInputStream tar = new TarArchiveInputStream(new XZCompressorInputStream(new BufferedInputStream(in)))) {
                TarArchiveEntry entry;
                while ((entry = tar.getNextEntry()) != null) {
                    extract(tar, entry, staging);
                }
            }
            Files.writeString(staging.resolve(".complete"), digest);
            Files.setPosixFilePermissions(staging, PosixFilePermissions.fromString("rwxr-xr-x"));
            deleteRecursively(target);
            Files.move(staging, target, StandardCopyOption.ATOMIC_MOVE);
            return target.resolve("bin");
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot unpack bundled PostgreSQL into " + cacheDir + ": " + e.getMessage(), e);
        }
    }

    private static void extract(TarArchiveInputStream tar, TarArchiveEntry entry, Path root) throws IOException {
        Path path = root.resolve(entry.getName()).normalize();
        if (!path.startsWith(root)) {
            throw new IOException("archive entry escapes target: " + entry.getName());
        }
        if (entry.isDirectory()) {
            Files.createDirectories(path);
            return;
        }
        Files.createDirectories(path.getParent());
        if (entry.isSymbolicLink()) {
            Files.deleteIfExists(path);
            Files.createSymbolicLink(path, Path.of(entry.getLinkName()));
            return;
        }
        Files.copy(tar, path, StandardCopyOption.REPLACE_EXISTING);
        boolean executable = (entry.getMode() & 0100) != 0;
        Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(executable ? "rwxr-xr-x" : "rw-r--r--"));
    }

    private static String archName() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> "x86_64";
            case "aarch64", "arm64" -> "arm_64";
            default -> throw new EmbeddedPostgresException("no bundled PostgreSQL for architecture " + arch
                    + "; set EDGEPLANE_POSTGRES_BIN_DIR or DATASOURCES_DEFAULT_URL");
        };
    }

    private static InputStream resourceStream(String resource) {
        InputStream in = PostgresBinaries.class.getClassLoader().getResourceAsStream(resource);
        if (in == null) {
            throw new EmbeddedPostgresException("bundled PostgreSQL " + resource + " is not on the classpath; "
                    + "set EDGEPLANE_POSTGRES_BIN_DIR or DATASOURCES_DEFAULT_URL");
        }
        return in;
    }

    private static String sha256OfResource(String resource) {
        try (DigestInputStream in = new DigestInputStream(resourceStream(resource), MessageDigest.getInstance("SHA-256"))) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
            return HexFormat.of().formatHex(in.getMessageDigest().digest());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static void deleteRecursively(Path path) throws IOException {
        if (!Files.exists(path, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(path)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }

    static Set<PosixFilePermission> perms(String spec) {
        return PosixFilePermissions.fromString(spec);
    }
}
