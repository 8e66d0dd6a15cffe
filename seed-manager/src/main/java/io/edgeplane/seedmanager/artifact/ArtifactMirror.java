package io.edgeplane.seedmanager.artifact;

import io.edgeplane.seedmanager.cluster.KubernetesVersions;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The binaries directory filled by bootstrap-scripts/fetch-binaries.sh, as devices download it:
 * {@code <version>/<os>-<arch>/<file>}. Only files listed in that directory's SHA256SUMS are served,
 * which also keeps every request inside the directory.
 */
@Singleton
public class ArtifactMirror {
    private static final Pattern VERSION = Pattern.compile("v[0-9]+\\.[0-9]+\\.[0-9]+");
    private static final Pattern PLATFORM = Pattern.compile("linux-(amd64|arm64)");
    static final String SUMS = "SHA256SUMS";

    private final Path root;

    public ArtifactMirror(KubernetesVersions versions) {
        this.root = Path.of(versions.binariesDir());
    }

    /** An artifact and its published SHA-256. */
    public record Artifact(Path file, String sha256) {
    }

    public Optional<Artifact> find(String version, String platform, String name) {
        if (!VERSION.matcher(version).matches() || !PLATFORM.matcher(platform).matches()) {
            return Optional.empty();
        }
        Path dir = root.resolve(version).resolve(platform);
        Map<String, String> sums = sums(dir);
        if (name.equals(SUMS) && Files.isRegularFile(dir.resolve(SUMS))) {
            return Optional.of(new Artifact(dir.resolve(SUMS), null));
        }
        String sha = sums.get(name);
        return sha == null || !Files.isRegularFile(dir.resolve(name)) ? Optional.empty() : Optional.of(new Artifact(dir.resolve(name), sha));
    }

    private static Map<String, String> sums(Path dir) {
        Map<String, String> sums = new HashMap<>();
        try {
            for (String line : Files.readAllLines(dir.resolve(SUMS))) {
                String[] parts = line.trim().split("\\s+\\*?");
                if (parts.length == 2 && parts[0].matches("[0-9a-f]{64}") && !parts[1].contains("/")) {
                    sums.put(parts[1], parts[0]);
                }
            }
        } catch (IOException absent) {
            // no SUMS, nothing served
        }
        return sums;
    }
}
