package io.edgeplane.provisioner.ssh;

import java.util.List;
import java.util.Objects;

/**
 * How Edgeplane logs in to a device. {@code toString()} never shows the secret, so a credential
 * that ends up in a log message by accident reveals nothing.
 */
public sealed interface SshCredential permits SshCredential.PrivateKey, SshCredential.Password {

    /** The strings of this credential that must never appear in output or logs. */
    List<String> secrets();

    /** A private key in OpenSSH ({@code BEGIN OPENSSH PRIVATE KEY}) or PEM form; {@code passphrase} is null for a plain key. */
    record PrivateKey(String pem, String passphrase) implements SshCredential {
        public PrivateKey {
            Objects.requireNonNull(pem, "pem");
        }

        @Override
        public List<String> secrets() {
            return passphrase == null || passphrase.isEmpty() ? List.of() : List.of(passphrase);
        }

        @Override
        public String toString() {
            return "PrivateKey[pem=***, passphrase=" + (passphrase == null ? "none" : "***") + "]";
        }
    }

    record Password(String password) implements SshCredential {
        public Password {
            Objects.requireNonNull(password, "password");
        }

        @Override
        public List<String> secrets() {
            return password.isEmpty() ? List.of() : List.of(password);
        }

        @Override
        public String toString() {
            return "Password[***]";
        }
    }
}
