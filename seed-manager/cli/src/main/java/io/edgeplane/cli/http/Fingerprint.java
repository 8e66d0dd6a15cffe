package io.edgeplane.cli.http;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.Locale;

/** A certificate's SHA-256 fingerprint, written {@code sha256:<64 hex digits>} (colons, as openssl prints them, are accepted). */
public record Fingerprint(String hex) {

    private static final String PREFIX = "sha256:";

    public Fingerprint {
        if (!hex.matches("[0-9a-f]{64}")) {
            throw new IllegalArgumentException("a SHA-256 fingerprint has 64 hex digits");
        }
    }

    public static Fingerprint parse(String text) {
        String value = text.trim().toLowerCase(Locale.ROOT);
        if (value.startsWith(PREFIX)) {
            value = value.substring(PREFIX.length());
        }
        return new Fingerprint(value.replace(":", ""));
    }

    public static Fingerprint of(X509Certificate certificate) {
        try {
            return new Fingerprint(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(certificate.getEncoded())));
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint " + certificate.getSubjectX500Principal(), e);
        }
    }

    @Override
    public String toString() {
        return PREFIX + hex;
    }
}
