package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.TunnelCredentials;
import io.fabric8.kubernetes.api.model.Secret;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * The Secret holding the tunnel server's {@link TunnelCredentials}. The seed manager reads it back
 * on every reconcile and keeps the set while it is good, so the apiserver pod only rolls when a new
 * set is issued.
 */
public final class TunnelSecretBuilder {
    public static final String NAME = "konnectivity-server";
    static final String SERIAL = "serial";
    static final String CERTIFICATE = "tls.crt";
    static final String KEY = "tls.key";
    static final String KUBECONFIG = "reviewer.conf";

    private TunnelSecretBuilder() {
    }

    public static Secret build(ControlPlaneSpec spec, TunnelCredentials credentials) {
        Map<String, String> data = new TreeMap<>();
        data.put(SERIAL, PkiSecretBuilder.base64(credentials.serial()));
        data.put(CERTIFICATE, PkiSecretBuilder.base64(credentials.certificatePem()));
        data.put(KEY, PkiSecretBuilder.base64(credentials.privateKeyPem()));
        data.put(KUBECONFIG, PkiSecretBuilder.base64(credentials.reviewerKubeconfig()));
        return PkiSecretBuilder.opaque(spec, NAME, data);
    }

    /** The set a Secret holds, if it holds a whole one. */
    public static Optional<TunnelCredentials> read(Secret secret) {
        if (secret == null || secret.getData() == null) {
            return Optional.empty();
        }
        Map<String, String> data = secret.getData();
        if (!data.keySet().containsAll(java.util.List.of(SERIAL, CERTIFICATE, KEY, KUBECONFIG))) {
            return Optional.empty();
        }
        try {
            return Optional.of(new TunnelCredentials(decode(data.get(SERIAL)), decode(data.get(CERTIFICATE)), decode(data.get(KEY)),
                    decode(data.get(KUBECONFIG))));
        } catch (IllegalArgumentException notBase64) {
            return Optional.empty();
        }
    }

    private static String decode(String base64) {
        return new String(Base64.getDecoder().decode(base64), StandardCharsets.UTF_8);
    }
}
