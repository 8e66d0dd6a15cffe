package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.edgeplane.seedmanager.cluster.controlplane.pki.IssuedCredential;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;

/**
 * The seed manager's own client of each tenant apiserver (system:masters certificate, CA pinned):
 * one per cluster, kept while the cluster's stored PKI is unchanged and renewed well before its
 * certificate expires, so that device and workload passes neither unseal CA keys nor mint a
 * certificate each time. A replaced client is closed only after a grace period, so a pass or an
 * informer still using it finishes (informers notice the new client and move to it).
 */
@Singleton
public class TenantClients {
    static final Duration LIFETIME = Duration.ofHours(1);
    static final Duration RENEW_BEFORE = Duration.ofMinutes(20);
    static final Duration RETIRE_AFTER = Duration.ofMinutes(2);

    /** A kept client with what devices are given alongside it. */
    public record Tenant(KubernetesClient client, String endpoint, String caPem, Instant notAfter) {
    }

    private record Kept(Tenant tenant, String storedPki) {
    }

    private final Clock clock;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();
    private final ScheduledExecutorService retired = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "tenant-clients");
        t.setDaemon(true);
        return t;
    });

    @Inject
    public TenantClients() {
        this(Clock.systemUTC());
    }

    TenantClients(Clock clock) {
        this.clock = clock;
    }

    /**
     * The kept client of {@code cluster}; {@code mint} makes a new one when none is kept for its
     * stored PKI or the kept one is due for renewal.
     */
    public Tenant get(Cluster cluster, Function<Cluster, Tenant> mint) {
        return kept.compute(cluster.id(), (id, current) -> {
            if (current != null && current.storedPki().equals(cluster.pki())
                    && clock.instant().isBefore(current.tenant().notAfter().minus(RENEW_BEFORE))) {
                return current;
            }
            Kept fresh = new Kept(mint.apply(cluster), cluster.pki());
            if (current != null) {
                retire(current.tenant().client());
            }
            return fresh;
        }).tenant();
    }

    /** The cluster is gone: its client goes too. */
    public void forget(String clusterId) {
        Kept gone = kept.remove(clusterId);
        if (gone != null) {
            retire(gone.tenant().client());
        }
    }

    @PreDestroy
    void close() {
        retired.shutdownNow();
        kept.values().forEach(k -> k.tenant().client().close());
        kept.clear();
    }

    private void retire(KubernetesClient client) {
        retired.schedule(client::close, RETIRE_AFTER.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** A new client of the apiserver at {@code endpoint} with a certificate valid for {@link #LIFETIME}. */
    static Tenant mint(ControlPlaneTarget target, String endpoint) {
        IssuedCredential credential = target.pki().issueClient("edgeplane:seed-manager", List.of("system:masters"), LIFETIME);
        String caPem = target.pki().certificatePem("ca");
        return new Tenant(client(endpoint, caPem, credential), endpoint, caPem, credential.notAfter());
    }

    /** A client for one request (kubeconfig issue and revoke) with a short-lived certificate; close it after use. */
    static KubernetesClient admin(ControlPlaneTarget target, String endpoint) {
        var credential = target.pki().issueClient("edgeplane:seed-manager", List.of("system:masters"), Duration.ofMinutes(10));
        return client(endpoint, target.pki().certificatePem("ca"), credential);
    }

    private static KubernetesClient client(String endpoint, String caPem, IssuedCredential credential) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder()
                .withMasterUrl(endpoint)
                .withCaCertData(base64(caPem))
                .withClientCertData(base64(credential.certificatePem()))
                .withClientKeyData(base64(credential.privateKeyPem()))
                .withClientKeyAlgo("EC")
                .withRequestTimeout(10_000)
                .build()).build();
    }

    static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }
}
