package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;

/**
 * The apiserver's encryption-at-rest configuration: Secrets are written with secretbox under the
 * cluster's current key; the other keys still read during a rotation; {@code identity} last, so
 * Secrets written before encryption was on stay readable until they are rewritten.
 */
public final class EncryptionConfiguration {
    private EncryptionConfiguration() {
    }

    public static String yaml(EncryptionKeys keys) {
        StringBuilder yaml = new StringBuilder("""
                apiVersion: apiserver.config.k8s.io/v1
                kind: EncryptionConfiguration
                resources:
                - resources:
                  - secrets
                  providers:
                  - secretbox:
                      keys:
                """);
        for (EncryptionKeys.Key key : keys.keys()) {
            yaml.append("      - name: ").append(key.name()).append('\n')
                    .append("        secret: ").append(key.secretBase64()).append('\n');
        }
        return yaml.append("  - identity: {}\n").toString();
    }
}
