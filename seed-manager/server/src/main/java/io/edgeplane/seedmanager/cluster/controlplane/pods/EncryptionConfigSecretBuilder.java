package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.EncryptionConfiguration;
import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.fabric8.kubernetes.api.model.Secret;

import java.util.Map;

/**
 * The apiserver's encryption configuration. A Secret, not a ConfigMap: it holds the keys to every
 * Secret in the cluster's etcd, and only the apiserver pod mounts it.
 */
public final class EncryptionConfigSecretBuilder {
    public static final String NAME = "encryption-config";

    private EncryptionConfigSecretBuilder() {
    }

    public static Secret build(ControlPlaneSpec spec, EncryptionKeys keys) {
        return PkiSecretBuilder.opaque(spec, NAME,
                Map.of(PodLayout.ENCRYPTION_KEY, PkiSecretBuilder.base64(EncryptionConfiguration.yaml(keys))));
    }
}
