package io.edgeplane.seedmanager.config;

import io.edgeplane.seedmanager.cluster.controlplane.pods.SeedClusterClient;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micronaut.context.annotation.Requires;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.net.HttpURLConnection;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The secrets a seed manager generates at its first start (master key, admin token) kept as
 * Secrets of the seed cluster it runs on, instead of files of a data directory that replicas do
 * not share. Create-if-absent through the Kubernetes API: of several replicas starting at once,
 * one creation wins (409 for the others, who read the winner's); an existing Secret is never
 * overwritten. Helm does not render them, so an upgrade or uninstall of the chart keeps them.
 */
@Singleton
@Requires(property = SeedClusterSecrets.NAMESPACE_PROPERTY)
public class SeedClusterSecrets {
    public static final String NAMESPACE_PROPERTY = "edgeplane.secrets-namespace";
    private static final Logger LOG = LoggerFactory.getLogger(SeedClusterSecrets.class);
    private static final String PREFIX = "edgeplane-";

    private final KubernetesClient client;
    private final String namespace;

    public SeedClusterSecrets(@Value("${" + NAMESPACE_PROPERTY + "}") String namespace,
                              @Nullable @Value("${edgeplane.pods-runtime.kubeconfig:}") String kubeconfig) {
        if (namespace.isBlank()) {
            throw new InvalidConfigurationException("EDGEPLANE_SECRETS_NAMESPACE must name a namespace of the seed cluster");
        }
        this.namespace = namespace;
        this.client = SeedClusterClient.build(kubeconfig == null || kubeconfig.isBlank() ? null : kubeconfig);
    }

    /**
     * The value of Secret {@code edgeplane-<name>} (its key {@code <name>}), created with
     * {@code generate} if there is none yet. Fails when the Secret exists without that key.
     */
    public String readOrCreate(String name, Supplier<String> generate) {
        String secretName = PREFIX + name;
        String existing = read(secretName, name);
        if (existing != null) {
            LOG.info("{} read from Secret {}/{}", name, namespace, secretName);
            return existing;
        }
        Secret secret = new SecretBuilder()
                .withNewMetadata().withName(secretName).withNamespace(namespace)
                .withLabels(Map.of("app.kubernetes.io/part-of", "edgeplane"))
                .withAnnotations(Map.of("edgeplane.io/created-by", "seed manager at first start; never overwritten"))
                .endMetadata()
                .withType("Opaque")
                .withData(Map.of(name, Base64.getEncoder().encodeToString(generate.get().getBytes(StandardCharsets.UTF_8))))
                .build();
        try {
            client.secrets().inNamespace(namespace).resource(secret).create();
            LOG.info("generated {} into Secret {}/{}; back it up", name, namespace, secretName);
        } catch (KubernetesClientException e) {
            if (e.getCode() != HttpURLConnection.HTTP_CONFLICT) {
                throw new IllegalStateException("cannot create Secret " + namespace + "/" + secretName + ": " + e.getMessage(), e);
            }
            LOG.info("{} created meanwhile by another replica; reading Secret {}/{}", name, namespace, secretName);
        }
        String created = read(secretName, name);
        if (created == null) {
            throw new IllegalStateException("Secret " + namespace + "/" + secretName + " vanished right after it was created");
        }
        return created;
    }

    @PreDestroy
    void close() {
        client.close();
    }

    private String read(String secretName, String key) {
        Secret secret;
        try {
            secret = client.secrets().inNamespace(namespace).withName(secretName).get();
        } catch (KubernetesClientException e) {
            throw new IllegalStateException("cannot read Secret " + namespace + "/" + secretName + ": " + e.getMessage(), e);
        }
        if (secret == null) {
            return null;
        }
        String value = secret.getData() == null ? null : secret.getData().get(key);
        if (value == null || value.isBlank()) {
            throw new InvalidConfigurationException("Secret " + namespace + "/" + secretName + " has no data key '" + key
                    + "': fix or delete it (deleting the master key orphans every stored secret)");
        }
        return new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8).strip();
    }
}
