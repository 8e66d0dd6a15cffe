package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The keys a tenant apiserver encrypts Secrets in etcd with (secretbox: XSalsa20-Poly1305, 32-byte
 * keys). The first key encrypts; every key decrypts, so a rotation adds a key before it is used
 * and retires the old one only after every Secret was rewritten. Immutable.
 */
public final class EncryptionKeys {
    public static final int KEY_BYTES = 32;
    private static final String PREFIX = "key-";
    private static final Pattern NAME = Pattern.compile(PREFIX + "[1-9][0-9]{0,8}");

    private final List<Key> keys;

    private EncryptionKeys(List<Key> keys) {
        if (keys.isEmpty()) {
            throw new IllegalArgumentException("a cluster needs at least one encryption key");
        }
        if (keys.stream().map(Key::name).distinct().count() != keys.size()) {
            throw new IllegalArgumentException("encryption key names repeat: " + keys.stream().map(Key::name).toList());
        }
        this.keys = List.copyOf(keys);
    }

    /** One new key, for a new cluster. */
    public static EncryptionKeys generate(SecureRandom random) {
        return new EncryptionKeys(List.of(Key.random(PREFIX + 1, random)));
    }

    /** Keys in configuration order: the first encrypts. */
    public static EncryptionKeys of(List<Key> keys) {
        return new EncryptionKeys(keys);
    }

    public List<Key> keys() {
        return keys;
    }

    /** The key new Secrets are written with. */
    public Key current() {
        return keys.get(0);
    }

    /**
     * First step of a rotation: a new key every apiserver can read with, but none writes with yet,
     * so no apiserver meets a Secret it cannot open while the configuration reaches them all.
     */
    public EncryptionKeys withNewKey(SecureRandom random) {
        int next = keys.stream().mapToInt(key -> Integer.parseInt(key.name().substring(PREFIX.length()))).max().orElse(0) + 1;
        List<Key> added = new ArrayList<>(keys);
        added.add(Key.random(PREFIX + next, random));
        return new EncryptionKeys(added);
    }

    /** Second step: the newest key encrypts from now on; the others still decrypt. */
    public EncryptionKeys newestFirst() {
        Key newest = keys.get(keys.size() - 1);
        List<Key> ordered = new ArrayList<>();
        ordered.add(newest);
        keys.stream().filter(key -> key != newest).forEach(ordered::add);
        return new EncryptionKeys(ordered);
    }

    /** Last step, once every Secret was rewritten with {@link #current()}: only that key is kept. */
    public EncryptionKeys onlyCurrent() {
        return new EncryptionKeys(List.of(current()));
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof EncryptionKeys that && keys.equals(that.keys);
    }

    @Override
    public int hashCode() {
        return keys.hashCode();
    }

    /** Names only: the key material never reaches a log. */
    @Override
    public String toString() {
        return "EncryptionKeys" + keys.stream().map(Key::name).toList();
    }

    /** A named secretbox key. */
    public static final class Key {
        private final String name;
        private final byte[] secret;

        public Key(String name, byte[] secret) {
            if (name == null || !NAME.matcher(name).matches()) {
                throw new IllegalArgumentException("an encryption key name is " + PREFIX + "<n>, got " + name);
            }
            if (secret == null || secret.length != KEY_BYTES) {
                throw new IllegalArgumentException("encryption key " + name + " must be " + KEY_BYTES + " bytes, got "
                        + (secret == null ? "none" : secret.length));
            }
            this.name = name;
            this.secret = secret.clone();
        }

        static Key random(String name, SecureRandom random) {
            byte[] secret = new byte[KEY_BYTES];
            random.nextBytes(secret);
            return new Key(name, secret);
        }

        public String name() {
            return name;
        }

        public byte[] secret() {
            return secret.clone();
        }

        /** As the EncryptionConfiguration wants it. */
        public String secretBase64() {
            return Base64.getEncoder().encodeToString(secret);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Key that && name.equals(that.name) && Arrays.equals(secret, that.secret);
        }

        @Override
        public int hashCode() {
            return Objects.hash(name, Arrays.hashCode(secret));
        }

        @Override
        public String toString() {
            return "EncryptionKeys.Key[" + name + "]";
        }
    }
}
