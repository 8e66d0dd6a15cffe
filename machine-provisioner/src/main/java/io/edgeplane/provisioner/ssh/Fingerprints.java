package io.edgeplane.provisioner.ssh;

import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import java.util.Optional;
import java.util.regex.Pattern;

/** SHA-256 fingerprints of SSH public keys, in the form {@code ssh-keygen -lf} prints: {@code SHA256:<base64 without padding>}. */
final class Fingerprints {
    static final String PREFIX = "SHA256:";
    /** 32 bytes are 43 base64 characters without the padding {@code =}. */
    private static final Pattern FORMAT = Pattern.compile("SHA256:[A-Za-z0-9+/]{43}");

    private Fingerprints() {
    }

    static String of(PublicKey key) {
        ByteArrayBuffer buffer = new ByteArrayBuffer();
        buffer.putRawPublicKey(key);
        return ofBlob(buffer.getCompactData());
    }

    /** The fingerprint of a key in the SSH wire encoding, e.g. the base64 part of a known_hosts line decoded. */
    static String ofBlob(byte[] blob) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
            return PREFIX + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java runtime has SHA-256", e);
        }
    }

    /** What is wrong with a fingerprint as an operator typed it, if anything. */
    static Optional<String> problem(String fingerprint) {
        if (fingerprint == null || fingerprint.isBlank()) {
            return Optional.of("must not be empty");
        }
        if (fingerprint.regionMatches(true, 0, "MD5:", 0, 4) || fingerprint.matches("([0-9a-fA-F]{2}:){15}[0-9a-fA-F]{2}")) {
            return Optional.of("MD5 fingerprints are not accepted; give the SHA-256 one as `ssh-keygen -lf <key>.pub` "
                    + "prints it (SHA256:...)");
        }
        if (!FORMAT.matcher(fingerprint).matches()) {
            return Optional.of("must be SHA256: followed by 43 base64 characters without '=' padding, as "
                    + "`ssh-keygen -lf <key>.pub` prints it");
        }
        return Optional.empty();
    }
}
