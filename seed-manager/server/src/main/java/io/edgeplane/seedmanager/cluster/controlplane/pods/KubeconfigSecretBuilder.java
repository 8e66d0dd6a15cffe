package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.fabric8.kubernetes.api.model.Secret;

import java.util.Map;
import java.util.TreeMap;

/**
 * The Secret holding component kubeconfigs ({@code controller-manager.conf}, {@code scheduler.conf}).
 * Apart from the PKI Secret because kubeconfigs are re-issued on their own schedule.
 */
public final class KubeconfigSecretBuilder {
    public static final String NAME = "kubeconfigs";

    private KubeconfigSecretBuilder() {
    }

    /** @param kubeconfigs file name (e.g. {@code scheduler.conf}) to kubeconfig YAML */
    public static Secret build(ControlPlaneSpec spec, Map<String, String> kubeconfigs) {
        Map<String, String> data = new TreeMap<>();
        kubeconfigs.forEach((file, content) -> {
            if (!PkiSecretBuilder.secretKey(file).equals(file)) {
                throw new IllegalArgumentException("kubeconfig must be a plain file name: " + file);
            }
            data.put(file, PkiSecretBuilder.base64(content));
        });
        return PkiSecretBuilder.opaque(spec, NAME, data);
    }
}
