package io.edgeplane.seedmanager.binaries;

import io.edgeplane.seedmanager.cluster.KubernetesVersions;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Collection;
import java.util.HashMap;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Stream;

/**
 * The binaries directory ({@code EDGEPLANE_KUBERNETES_BINARIES_DIR}): {@code <version>/linux-<arch>/}
 * with the components and a {@code SHA256SUMS} listing them. A platform directory is used only
 * when it is complete: every component it must hold is executable, listed, and matches its sum.
 * Whoever filled it (this seed manager, fetch-binaries.sh run by an operator, a copied directory)
 * does not matter.
 */
@Singleton
public class BinariesDirectory {
    public static final String SUMS = "SHA256SUMS";

    private final Path root;
    /** Hashing a control plane's binaries takes seconds: a directory is hashed again only when one of its files changed. */
    private final Map<Path, Verified> verified = new ConcurrentHashMap<>();

    @Inject
    public BinariesDirectory(KubernetesVersions versions) {
        this(Path.of(versions.binariesDir()));
    }

    BinariesDirectory(Path root) {
        this.root = root.toAbsolutePath();
    }

    public Path root() {
        return root;
    }

    public Path dir(Platform platform) {
        return root.resolve(platform.version()).resolve(platform.name());
    }

    /** Whether the platform's directory holds {@code components}, each matching SHA256SUMS. */
    public boolean isComplete(Platform platform, List<String> components) {
        Path dir = dir(platform);
        Map<String, String> sums = sums(dir);
        for (String component : components) {
            if (!sums.containsKey(component) || !Files.isExecutable(dir.resolve(component))) {
                return false;
            }
        }
        return matchesSums(dir, sums);
    }

    /** The SHA-256 of every file the platform's SHA256SUMS lists (names only, never paths); empty without one. */
    public Map<String, String> sums(Path dir) {
        Map<String, String> sums = new HashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve(SUMS))) {
                String[] parts = line.trim().split("\\s+\\*?");
                if (parts.length == 2 && parts[0].matches("[0-9a-f]{64}") && !parts[1].contains("/")) {
                    sums.put(parts[1], parts[0]);
                }
            }
        } catch (IOException absent) {
            // no SHA256SUMS: nothing there counts
        }
        return sums;
    }

    private boolean matchesSums(Path dir, Map<String, String> sums) {
        Optional<String> stamp = stamp(dir, sums.keySet());
        if (stamp.isEmpty()) {
            return false;
        }
        Verified known = verified.get(dir);
        if (known != null && known.stamp().equals(stamp.get())) {
            return known.ok();
        }
        boolean ok = sums.entrySet().stream().allMatch(e -> e.getValue().equals(sha256(dir.resolve(e.getKey())).orElse("")));
        verified.put(dir, new Verified(stamp.get(), ok));
        return ok;
    }

    /** Identity, size and modification time of the sums file and of every file it lists. */
    private static Optional<String> stamp(Path dir, Collection<String> names) {
        StringBuilder stamp = new StringBuilder();
        try {
            for (String name : Stream.concat(Stream.of(SUMS), names.stream().sorted()).toList()) {
                BasicFileAttributes a = Files.readAttributes(dir.resolve(name), BasicFileAttributes.class);
                stamp.append(name).append(':').append(a.fileKey()).append('/').append(a.lastModifiedTime().toMillis())
                        .append('/').append(a.size()).append(';');
            }
            return Optional.of(stamp.toString());
        } catch (IOException absent) {
            return Optional.empty();
        }
    }

    static Optional<String> sha256(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            byte[] buffer = new byte[1 << 16];
            for (int n; (n = in.read(buffer)) > 0; ) {
                digest.update(buffer, 0, n);
            }
            return Optional.of(HexFormat.of().formatHex(digest.digest()));
        } catch (IOException unreadable) {
            return Optional.empty();
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private record Verified(String stamp, boolean ok) {
    }
}
