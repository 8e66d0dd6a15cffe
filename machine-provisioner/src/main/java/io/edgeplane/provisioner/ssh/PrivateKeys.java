package io.edgeplane.provisioner.ssh;

import org.apache.sshd.common.NamedResource;
import org.apache.sshd.common.config.keys.FilePasswordProvider;
import org.apache.sshd.common.util.security.SecurityUtils;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.util.Iterator;
import java.util.concurrent.atomic.AtomicBoolean;

/** Reads a private key from its text, OpenSSH or PEM, with its passphrase if it is encrypted. */
final class PrivateKeys {
    private static final NamedResource RESOURCE = NamedResource.ofName("credential.privateKey");

    private PrivateKeys() {
    }

    /** Why a key cannot be used, without quoting any of it; {@link #passphrase()} tells which field is at fault. */
    static final class UnreadableKeyException extends Exception {
        private final boolean passphrase;

        UnreadableKeyException(String message, boolean passphrase) {
            super(message);
            this.passphrase = passphrase;
        }

        boolean passphrase() {
            return passphrase;
        }
    }

    static KeyPair read(String text, String passphrase) throws UnreadableKeyException {
        AtomicBoolean askedForPassphrase = new AtomicBoolean();
        FilePasswordProvider passwords = (session, resource, retryIndex) -> {
            askedForPassphrase.set(true);
            return passphrase;
        };
        try {
            Iterable<KeyPair> pairs = SecurityUtils.loadKeyPairIdentities(null, RESOURCE,
                    new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8)), passwords);
            Iterator<KeyPair> iterator = pairs == null ? null : pairs.iterator();
            if (iterator == null || !iterator.hasNext()) {
                throw new UnreadableKeyException("no private key found; expected an OpenSSH key "
                        + "(-----BEGIN OPENSSH PRIVATE KEY-----) or a PEM private key", false);
            }
            return iterator.next();
        } catch (IOException | GeneralSecurityException | RuntimeException e) {
            // The library's message may quote the input, so it is not passed on.
            if (askedForPassphrase.get()) {
                throw passphrase == null
                        ? new UnreadableKeyException("the key is encrypted; its passphrase is required", true)
                        : new UnreadableKeyException("the passphrase does not decrypt the key", true);
            }
            throw new UnreadableKeyException("not a private key this server can read (OpenSSH or PEM: RSA, ECDSA or "
                    + "Ed25519)", false);
        }
    }
}
