package io.edgeplane.seedmanager.cluster.controlplane.pki;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Set;

/** A master key kept in a file of its own (base64, mode 0600), created on first use. */
final class MasterKeyFile {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyFile.class);
    static final String FILE_NAME = "master-key";

    private MasterKeyFile() {
    }

    static MasterKey readOrGenerate(Path file) {
        try {
            if (Files.exists(file)) {
                return read(file);
            }
            MasterKey key = MasterKey.generate(new SecureRandom());
            AtomicFiles.write(file, (key.toBase64() + "\n").getBytes(StandardCharsets.US_ASCII), AtomicFiles.PRIVATE);
            LOG.info("generated a master key into {} (mode 0600, fingerprint {}); back it up: secrets stored in the database"
                    + " cannot be decrypted without it", file, key.fingerprint());
            return key;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or write the master key file " + file, e);
        }
    }

    private static MasterKey read(Path file) throws IOException {
        // A damaged file is an error, never a reason to generate a new key: that would orphan every stored secret.
        MasterKey key = MasterKey.fromBase64(Files.readString(file, StandardCharsets.US_ASCII), "the master key file " + file);
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
        if (!AtomicFiles.PRIVATE.containsAll(permissions)) {
            LOG.warn("master key file {} is readable by others ({}); chmod 600 it", file,
                    PosixFilePermissions.toString(permissions));
        }
        LOG.info("master key read from {} (fingerprint {})", file, key.fingerprint());
        return key;
    }
}
