package io.edgeplane.seedmanager.machine;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

/**
 * The stored SSH target of a device (without its credential, which is sealed separately).
 *
 * @param credentialKind {@code privateKey} or {@code password}
 */
@Serdeable
public record MachineSsh(String host, int port, String user, @Nullable String hostKeyFingerprint, @Nullable String knownHosts,
                         String credentialKind) {
}
