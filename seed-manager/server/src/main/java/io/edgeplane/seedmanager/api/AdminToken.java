package io.edgeplane.seedmanager.api;

import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import io.edgeplane.seedmanager.config.SeedClusterSecrets;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * The admin credential: EDGEPLANE_ADMIN_TOKEN, or one generated at first start into the Secret
 * {@code edgeplane-admin-token} when EDGEPLANE_SECRETS_NAMESPACE is set (replicas share it), else into
 * {@code <data dir>/admin-token} (mode 0600). Only its digest is kept in memory.
 */
@Context
public class AdminToken {
    private static final Logger LOG = LoggerFactory.getLogger(AdminToken.class);
    static final int MIN_LENGTH = 16;

    private final byte[] digest;

    public AdminToken(EdgeplaneConfig config, @Nullable SeedClusterSecrets shared) {
        String token = config.adminToken();
        if (token != null && !token.isBlank()) {
            if (token.strip().length() < MIN_LENGTH) {
                throw new IllegalArgumentException("EDGEPLANE_ADMIN_TOKEN must be at least " + MIN_LENGTH + " characters");
            }
            LOG.info("admin token taken from EDGEPLANE_ADMIN_TOKEN");
        } else if (shared != null) {
            token = shared.readOrCreate("admin-token", () -> "epa_" + Secrets.random(40));
        } else {
            token = readOrGenerate(config.ensureDataDir().resolve("admin-token"));
        }
        this.digest = Secrets.sha256(token.strip());
    }

    public boolean matches(String presented) {
        return Secrets.sameDigest(digest, Secrets.sha256(presented));
    }

    private static String readOrGenerate(Path file) {
        try {
            if (Files.isRegularFile(file)) {
                LOG.info("admin token read from {}", file);
                return Files.readString(file).strip();
            }
            String token = "epa_" + Secrets.random(40);
            // Write under a temporary name and rename, so a crash never leaves an empty token file.
            Path tmp = file.resolveSibling("admin-token.tmp");
            Files.deleteIfExists(tmp);
            Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.writeString(tmp, token + "\n");
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE);
            LOG.info("generated an admin token into {} (mode 0600)", file);
            return token;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the admin token " + file, e);
        }
    }
}
