package io.edgeplane.seedmanager.artifact;

import io.edgeplane.provisioner.agent.DeviceAgentBinaries;
import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The device agent {@code edgeplane-device} as devices download it: built with the seed manager
 * (machine-provisioner carries a static binary per platform), unpacked once per platform into
 * {@code <data dir>/device-agent/<platform>/} with its SHA-256, which the provisioning script pins.
 */
@Singleton
public class DeviceAgentArtifacts {
    public static final String NAME = "edgeplane-device";

    private final Path root;
    private final Map<String, ArtifactMirror.Artifact> unpacked = new ConcurrentHashMap<>();

    public DeviceAgentArtifacts(EdgeplaneConfig config) {
        this.root = config.dataDir().toAbsolutePath().resolve("device-agent");
    }

    /** The agent for {@code platform} ({@code linux-amd64} or {@code linux-arm64}), if this build carries it. */
    public Optional<ArtifactMirror.Artifact> find(String platform) {
        if (!DeviceAgentBinaries.PLATFORMS.contains(platform)) {
            return Optional.empty();
        }
        return Optional.ofNullable(unpacked.computeIfAbsent(platform, this::unpack));
    }

    private ArtifactMirror.Artifact unpack(String platform) {
        try (InputStream in = DeviceAgentBinaries.open(platform)) {
            if (in == null) {
                return null;
            }
            Path dir = Files.createDirectories(root.resolve(platform));
            Path target = dir.resolve(NAME);
            Path temporary = Files.createTempFile(dir, "." + NAME, ".part");
            MessageDigest sha256 = MessageDigest.getInstance("SHA-256");
            try (DigestInputStream digesting = new DigestInputStream(in, sha256)) {
                Files.copy(digesting, temporary, StandardCopyOption.REPLACE_EXISTING);
            }
            // Renamed into place whole: a download never sees a half-written file.
            Files.move(temporary, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            return new ArtifactMirror.Artifact(target, HexFormat.of().formatHex(sha256.digest()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot unpack the device agent for " + platform + " into " + root, e);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
