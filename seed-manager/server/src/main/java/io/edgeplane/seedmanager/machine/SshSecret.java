package io.edgeplane.seedmanager.machine;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/** The SSH credential as sealed at rest: a private key (with optional passphrase) or a password. */
@Serdeable
public record SshSecret(@Nullable String privateKey, @Nullable String passphrase, @Nullable String password) {

    @Override
    public String toString() {
        return "SshSecret[" + (privateKey != null ? "privateKey" : "password") + "]";
    }
}
