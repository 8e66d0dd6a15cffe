package io.edgeplane.seedmanager.artifact;

import io.edgeplane.seedmanager.binaries.BinariesDirectory;
import io.edgeplane.seedmanager.binaries.BinariesNotReadyException;
import io.edgeplane.seedmanager.binaries.BinariesPreparations;
import io.edgeplane.seedmanager.binaries.BinariesStatus;
import io.edgeplane.seedmanager.binaries.Platform;
import io.edgeplane.seedmanager.cluster.KubernetesVersions;
import jakarta.inject.Singleton;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The binaries directory as devices download it: {@code <version>/<os>-<arch>/<file>}. Only files
 * listed in that directory's SHA256SUMS are served, which also keeps every request inside the
 * directory. A component of a supported version that is not there yet is prepared on first request.
 */
@Singleton
public class ArtifactMirror {
    private static final Pattern VERSION = Pattern.compile("v[0-9]+\\.[0-9]+\\.[0-9]+");
    private static final Pattern PLATFORM = Pattern.compile("linux-(amd64|arm64)");

    private final BinariesDirectory directory;
    private final BinariesPreparations preparations;
    private final KubernetesVersions versions;

    public ArtifactMirror(BinariesDirectory directory, BinariesPreparations preparations, KubernetesVersions versions) {
        this.directory = directory;
        this.preparations = preparations;
        this.versions = versions;
    }

    /** An artifact and its published SHA-256 (null for SHA256SUMS itself). */
    public record Artifact(Path file, String sha256) {
    }

    /**
     * The file as served, if it is there.
     *
     * @throws BinariesNotReadyException for a component of a supported version that is being prepared
     */
    public Optional<Artifact> find(String version, String platformName, String name) {
        Matcher platform = PLATFORM.matcher(platformName);
        if (!VERSION.matcher(version).matches() || !platform.matches()) {
            return Optional.empty();
        }
        Platform target = new Platform(version, platform.group(1));
        Optional<Artifact> found = find(target, name);
        if (found.isEmpty() && versions.isSupported(version) && target.components().contains(name)) {
            BinariesStatus status = preparations.ensure(target);
            if (!status.ready()) {
                throw new BinariesNotReadyException("artifact " + target + "/" + name, status, Instant.now());
            }
            return find(target, name);
        }
        if (found.isPresent() && target.components().contains(name) && !preparations.servable(target)) {
            throw new BinariesNotReadyException("artifact " + target + "/" + name, preparations.status(target), Instant.now());
        }
        return found;
    }

    /** The file if the platform's directory lists it. */
    public Optional<Artifact> find(Platform platform, String name) {
        Path dir = directory.dir(platform);
        if (name.equals(BinariesDirectory.SUMS)) {
            return Files.isRegularFile(dir.resolve(name)) ? Optional.of(new Artifact(dir.resolve(name), null)) : Optional.empty();
        }
        String sha = directory.sums(dir).get(name);
        return sha == null || !Files.isRegularFile(dir.resolve(name)) ? Optional.empty() : Optional.of(new Artifact(dir.resolve(name), sha));
    }
}
