package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/** A client of the seed cluster: from a kubeconfig file, or in-cluster (the pod's service account) without one. */
public final class SeedClusterClient {
    private SeedClusterClient() {
    }

    public static KubernetesClient build(String kubeconfig) {
        Config config = kubeconfig == null ? Config.autoConfigure(null) : Config.fromKubeconfig(read(kubeconfig));
        // Fabric8 assumes RSA client keys unless told; seed clusters may well use EC keys.
        keyAlgorithm(config.getClientKeyData()).ifPresent(config::setClientKeyAlgo);
        return new KubernetesClientBuilder().withConfig(config).build();
    }

    static Optional<String> keyAlgorithm(String base64Pem) {
        if (base64Pem == null) {
            return Optional.empty();
        }
        String pem = new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.US_ASCII);
        if (!pem.contains("BEGIN PRIVATE KEY")) {
            return Optional.empty();
        }
        byte[] der = Base64.getDecoder().decode(pem.replaceAll("-----(BEGIN|END) PRIVATE KEY-----", "").replaceAll("\\s", ""));
        for (String algorithm : List.of("EC", "RSA")) {
            try {
                KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                return Optional.of(algorithm);
            } catch (GeneralSecurityException notThis) {
                // try the next
            }
        }
        return Optional.empty();
    }

    private static String read(String path) {
        try {
            return Files.readString(Path.of(path));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the seed cluster kubeconfig " + path, e);
        }
    }
}
