package io.edgeplane.testbed;

import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Map;

/** A Kubernetes bootstrap token ({@code <id>.<secret>}) stored as its kube-system Secret. */
public record BootstrapToken(String id, String secret) {
    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final SecureRandom RANDOM = new SecureRandom();

    static BootstrapToken create(KubernetesClient client, Duration ttl) {
        BootstrapToken token = new BootstrapToken(random(6), random(16));
        client.secrets().inNamespace("kube-system").resource(new SecretBuilder()
                .withNewMetadata().withName("bootstrap-token-" + token.id()).endMetadata()
                .withType("bootstrap.kubernetes.io/token")
                .withStringData(Map.of(
                        "token-id", token.id(),
                        "token-secret", token.secret(),
                        "expiration", Instant.now().plus(ttl).truncatedTo(ChronoUnit.SECONDS).toString(),
                        "usage-bootstrap-authentication", "true",
                        "usage-bootstrap-signing", "true",
                        "auth-extra-groups", "system:bootstrappers:edgeplane-testbed"))
                .build()).create();
        return token;
    }

    public String value() {
        return id + "." + secret;
    }

    private static String random(int length) {
        StringBuilder out = new StringBuilder(length);
        for (int i = 0; i < length; i++) {
            out.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return out.toString();
    }
}
