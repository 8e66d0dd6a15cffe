package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The Secret holding a cluster's PKI files. Secret keys cannot contain {@code /}, so
 * {@code etcd/ca.crt} is stored as {@code etcd-ca.crt}; {@link PkiVolume} maps it back to its path.
 * It holds exactly the files it is given: the caller decides which CA keys may leave the seed
 * manager's store.
 */
public final class PkiSecretBuilder {
    public static final String NAME = "pki";

    private static final Pattern SECRET_KEY = Pattern.compile("[-._a-zA-Z0-9]+");

    private PkiSecretBuilder() {
    }

    /** @param files path relative to the PKI directory (e.g. {@code etcd/server.key}) to PEM content */
    public static Secret build(ControlPlaneSpec spec, Map<String, String> files) {
        Map<String, String> data = new TreeMap<>();
        Map<String, String> pathOfKey = new HashMap<>();
        files.forEach((path, content) -> {
            String key = secretKey(path);
            String clash = pathOfKey.put(key, path);
            if (clash != null) {
                throw new IllegalArgumentException("PKI files " + clash + " and " + path + " map to the same secret key " + key);
            }
            data.put(key, base64(content));
        });
        return opaque(spec, NAME, data);
    }

    /** An Opaque Secret of the cluster's namespace with already base64-encoded data. */
    static Secret opaque(ControlPlaneSpec spec, String name, Map<String, String> data) {
        return new SecretBuilder()
                .withNewMetadata()
                .withName(name)
                .withNamespace(spec.namespace())
                .withLabels(ControlPlaneLabels.cluster(spec))
                .endMetadata()
                .withType("Opaque")
                .withData(data)
                .build();
    }

    /** The Secret key of a file in the PKI directory: {@code etcd/ca.crt} becomes {@code etcd-ca.crt}. */
    public static String secretKey(String relativePath) {
        if (relativePath.startsWith("/") || relativePath.contains("..")) {
            throw new IllegalArgumentException("PKI file must be a path inside the PKI directory: " + relativePath);
        }
        String key = relativePath.replace('/', '-');
        if (!SECRET_KEY.matcher(key).matches()) {
            throw new IllegalArgumentException("PKI file name cannot be a secret key: " + relativePath);
        }
        return key;
    }

    static String base64(String content) {
        return Base64.getEncoder().encodeToString(content.getBytes(StandardCharsets.UTF_8));
    }
}
