package io.edgeplane.cli.config;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;
import java.util.Set;

/**
 * The config file ({@code $XDG_CONFIG_HOME/edgeplane/config.yaml}, else {@code ~/.config/edgeplane/config.yaml},
 * or {@code $EDGEPLANE_CONFIG}). It holds tokens, so it is only ever written with mode 0600, in a 0700 directory,
 * and replaced atomically so a crash never leaves half a file.
 */
public final class ConfigFile {

    private static final Set<PosixFilePermission> OWNER_ONLY_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_ONLY_DIR = PosixFilePermissions.fromString("rwx------");

    private final Path path;
    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES))
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);

    public ConfigFile(Path path) {
        this.path = path;
    }

    public static ConfigFile locate(Map<String, String> env) {
        String explicit = env.get("EDGEPLANE_CONFIG");
        if (explicit != null && !explicit.isBlank()) {
            return new ConfigFile(Path.of(explicit));
        }
        String xdg = env.get("XDG_CONFIG_HOME");
        Path base = xdg != null && !xdg.isBlank() ? Path.of(xdg) : Path.of(env.getOrDefault("HOME", System.getProperty("user.home")), ".config");
        return new ConfigFile(base.resolve("edgeplane").resolve("config.yaml"));
    }

    public Path path() {
        return path;
    }

    public CliConfig load() {
        try {
            CliConfig config = yaml.readValue(Files.readAllBytes(path), CliConfig.class);
            return config == null ? CliConfig.EMPTY : config;
        } catch (NoSuchFileException e) {
            return CliConfig.EMPTY;
        } catch (IOException e) {
            throw new CliFailure(ExitCode.USAGE, "cannot read the config file " + path + ": " + e.getMessage(), e);
        }
    }

    /** True when someone other than the owner may read the file, which a token must not allow. */
    public boolean readableByOthers() {
        try {
            Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(path);
            return !OWNER_ONLY_FILE.containsAll(permissions);
        } catch (NoSuchFileException e) {
            return false;
        } catch (IOException | UnsupportedOperationException e) {
            return false;
        }
    }

    public void save(CliConfig config) {
        try {
            Path dir = path.toAbsolutePath().getParent();
            if (!Files.isDirectory(dir)) {
                Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
            }
            Path temp = Files.createTempFile(dir, ".config-", ".yaml", PosixFilePermissions.asFileAttribute(OWNER_ONLY_FILE));
            try {
                yaml.writeValue(temp.toFile(), config);
                move(temp);
            } finally {
                Files.deleteIfExists(temp);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the config file " + path, e);
        }
    }

    private void move(Path temp) throws IOException {
        try {
            Files.move(temp, path, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(temp, path, StandardCopyOption.REPLACE_EXISTING);
        }
    }
}
