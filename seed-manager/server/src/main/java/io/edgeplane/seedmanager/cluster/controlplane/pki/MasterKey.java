package io.edgeplane.seedmanager.cluster.controlplane.pki;

import javax.crypto.AEADBadTagException;
import javax.crypto.Cipher;
import javax.crypto.spec.GCMParameterSpec;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Objects;

/**
 * The key that encrypts secrets at rest (CA and leaf private keys in PostgreSQL): AES-256-GCM.
 * A sealed value is {@code version (1 byte) | nonce (12 bytes) | ciphertext and tag}. The caller's
 * associated data (e.g. cluster and entry name) is authenticated, so a value copied into another
 * cluster's row or another entry does not open.
 */
public final class MasterKey {
    static final int KEY_BYTES = 32;
    static final byte FORMAT_VERSION = 1;
    static final int NONCE_BYTES = 12;
    private static final int TAG_BITS = 128;
    private static final String TRANSFORMATION = "AES/GCM/NoPadding";

    private final SecretKeySpec key;
    private final SecureRandom random;
    private final String fingerprint;

    private MasterKey(byte[] key, SecureRandom random) {
        if (key == null || key.length != KEY_BYTES) {
            throw new IllegalArgumentException("a master key is exactly " + KEY_BYTES + " bytes, got "
                    + (key == null ? "none" : key.length));
        }
        this.key = new SecretKeySpec(key, "AES");
        this.random = random;
        this.fingerprint = fingerprintOf(key);
    }

    /** A master key from its 32 raw bytes (copied). */
    public static MasterKey of(byte[] key) {
        return new MasterKey(key == null ? null : key.clone(), new SecureRandom());
    }

    /** A master key from the base64 of 32 bytes, e.g. the output of {@code openssl rand -base64 32}. */
    public static MasterKey fromBase64(String encoded) {
        return fromBase64(encoded, "the master key");
    }

    /** As {@link #fromBase64(String)}; {@code source} names where the value came from, for the error message. */
    static MasterKey fromBase64(String encoded, String source) {
        String hint = source + " must be the base64 encoding of exactly " + KEY_BYTES
                + " random bytes (create one with: openssl rand -base64 32)";
        if (encoded == null || encoded.isBlank()) {
            throw new IllegalArgumentException(hint + "; it is empty");
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(encoded.strip());
        } catch (IllegalArgumentException e) {
            // The value itself is secret: never part of the message.
            throw new IllegalArgumentException(hint + "; it is not valid base64");
        }
        if (raw.length != KEY_BYTES) {
            throw new IllegalArgumentException(hint + "; it decodes to " + raw.length + " bytes");
        }
        return new MasterKey(raw, new SecureRandom());
    }

    static MasterKey generate(SecureRandom random) {
        byte[] raw = new byte[KEY_BYTES];
        random.nextBytes(raw);
        return new MasterKey(raw, random);
    }

    String toBase64() {
        return Base64.getEncoder().encodeToString(key.getEncoded());
    }

    /**
     * A short, non-secret identifier of the key, for logs: replicas that must share a key can be
     * compared without printing it.
     */
    public String fingerprint() {
        return fingerprint;
    }

    public byte[] seal(byte[] plaintext, String associatedData) {
        Objects.requireNonNull(plaintext, "plaintext");
        byte[] nonce = new byte[NONCE_BYTES];
        random.nextBytes(nonce);
        try {
            Cipher cipher = cipher(Cipher.ENCRYPT_MODE, nonce, associatedData);
            byte[] ciphertext = cipher.doFinal(plaintext);
            return ByteBuffer.allocate(1 + NONCE_BYTES + ciphertext.length)
                    .put(FORMAT_VERSION).put(nonce).put(ciphertext).array();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM encryption failed", e);
        }
    }

    public byte[] open(byte[] sealed, String associatedData) {
        if (sealed == null || sealed.length < 1 + NONCE_BYTES + TAG_BITS / 8) {
            throw new SealedDataException("cannot open sealed data for '" + associatedData + "': it is truncated");
        }
        if (sealed[0] != FORMAT_VERSION) {
            throw new SealedDataException("cannot open sealed data for '" + associatedData
                    + "': unknown format version " + sealed[0]);
        }
        byte[] nonce = new byte[NONCE_BYTES];
        System.arraycopy(sealed, 1, nonce, 0, NONCE_BYTES);
        try {
            Cipher cipher = cipher(Cipher.DECRYPT_MODE, nonce, associatedData);
            return cipher.doFinal(sealed, 1 + NONCE_BYTES, sealed.length - 1 - NONCE_BYTES);
        } catch (AEADBadTagException e) {
            throw new SealedDataException("cannot open sealed data for '" + associatedData + "' with master key "
                    + fingerprint + ": the master key is not the one it was sealed with, or the data was altered"
                    + " or belongs to another entry", e);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("AES-GCM decryption failed", e);
        }
    }

    @Override
    public String toString() {
        return "MasterKey[" + fingerprint + "]";
    }

    private Cipher cipher(int mode, byte[] nonce, String associatedData) throws GeneralSecurityException {
        Objects.requireNonNull(associatedData, "associatedData");
        Cipher cipher = Cipher.getInstance(TRANSFORMATION);
        cipher.init(mode, key, new GCMParameterSpec(TAG_BITS, nonce));
        // The version byte is authenticated too, so it cannot be changed to reinterpret the rest.
        cipher.updateAAD(new byte[]{FORMAT_VERSION});
        cipher.updateAAD(associatedData.getBytes(StandardCharsets.UTF_8));
        return cipher;
    }

    private static String fingerprintOf(byte[] key) {
        try {
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            digest.update("edgeplane master key fingerprint\0".getBytes(StandardCharsets.US_ASCII));
            return HexFormat.of().formatHex(digest.digest(key), 0, 8);
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }
}
