package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.IssuedCredential;
import io.edgeplane.seedmanager.cluster.controlplane.pki.MasterKey;
import io.edgeplane.seedmanager.cluster.controlplane.pki.PemEncoding;
import io.edgeplane.seedmanager.cluster.controlplane.pki.StoredPki;
import io.micronaut.serde.ObjectMapper;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The relay's TLS side per cluster: a serving certificate issued from the cluster's CA for its
 * {@link PodNetworkName} (devices already pin that CA), and client certificates required and
 * trusted only if that same CA signed them. Kept in memory, not stored: issued on first need,
 * again after half its life or when the cluster's CA changed. Reads the database and may unseal
 * the CA key: never call it on an event loop.
 */
@Singleton
class RelayCredentials {
    private static final Logger LOG = LoggerFactory.getLogger(RelayCredentials.class);
    static final Duration LIFETIME = Duration.ofDays(30);
    private static final String COMMON_NAME = "edgeplane-pod-network";
    private static final String CA = "ca";

    /**
     * @param storedPki the cluster's PKI row it was made from: the same row needs no look at the CA
     * @param lastUsed  the last handshake it served: the credentials of a cluster nobody dials are dropped
     */
    private record Kept(String storedPki, String caPem, SslContext context, Instant renewAfter, Instant lastUsed) {
        Kept usedAt(String pki, Instant now) {
            return new Kept(pki, caPem, context, renewAfter, now);
        }
    }

    private final ClusterRepository clusters;
    private final MasterKey masterKey;
    private final ObjectMapper json;
    private final Clock clock;
    private final Map<String, Kept> kept = new ConcurrentHashMap<>();

    @Inject
    RelayCredentials(ClusterRepository clusters, MasterKey masterKey, ObjectMapper json) {
        this(clusters, masterKey, json, Clock.systemUTC());
    }

    RelayCredentials(ClusterRepository clusters, MasterKey masterKey, ObjectMapper json, Clock clock) {
        this.clusters = clusters;
        this.masterKey = masterKey;
        this.json = json;
        this.clock = clock;
    }

    /**
     * The TLS context that serves devices of cluster {@code clusterId}.
     *
     * @throws IllegalStateException when the cluster does not exist, is being deleted or has no PKI yet
     */
    SslContext serverContext(String clusterId) {
        Cluster cluster = clusters.findById(clusterId).orElse(null);
        if (cluster == null || cluster.deleteRequested()) {
            kept.remove(clusterId);
            throw new IllegalStateException(cluster == null ? "no cluster has id " + clusterId
                    : "cluster " + cluster.project() + "/" + cluster.name() + " is being deleted");
        }
        if (cluster.pki() == null) {
            throw new IllegalStateException("cluster " + cluster.project() + "/" + cluster.name() + " has no PKI yet");
        }
        Instant now = clock.instant();
        return kept.compute(clusterId, (id, current) -> {
            if (current != null && now.isBefore(current.renewAfter()) && current.storedPki().equals(cluster.pki())) {
                return current.usedAt(cluster.pki(), now);
            }
            StoredPki stored = read(cluster.pki());
            StoredPki.Entry ca = stored.entries().get(CA);
            String caPem = ca == null ? null : ca.certificate();
            if (current != null && now.isBefore(current.renewAfter()) && current.caPem().equals(caPem)) {
                return current.usedAt(cluster.pki(), now);   // only leaves were renewed
            }
            return issue(cluster, stored, caPem, now);
        }).context();
    }

    /** Drops the credentials of clusters no device dialled since {@code threshold} (deleted ones among them); returns how many. */
    int forgetUnusedSince(Instant threshold) {
        int before = kept.size();
        kept.values().removeIf(k -> k.lastUsed().isBefore(threshold));
        return before - kept.size();
    }

    private Kept issue(Cluster cluster, StoredPki stored, String caPem, Instant now) {
        ClusterPki pki = ClusterPki.fromStored(stored, masterKey, cluster.id());
        String serverName = PodNetworkName.of(cluster.id());
        IssuedCredential serving = pki.issueServer(COMMON_NAME, List.of(serverName), LIFETIME);
        try {
            SslContext context = SslContextBuilder
                    .forServer(PemEncoding.parsePrivateKey(serving.privateKeyPem()), PemEncoding.parseCertificate(serving.certificatePem()))
                    .trustManager(pki.certificate(CA))
                    .clientAuth(ClientAuth.REQUIRE)
                    .sslProvider(SslProvider.JDK)
                    .protocols("TLSv1.3", "TLSv1.2")
                    .build();
            // Issuance caps a certificate at the CA's expiry: half of what is left keeps a short one from being issued at every dial.
            Instant renewAfter = now.plus(Duration.between(now, serving.notAfter()).dividedBy(2));
            LOG.info("pod-network cluster={}/{} serving certificate {} for {} valid until {}", cluster.project(), cluster.name(),
                    serving.serialHex(), serverName, serving.notAfter());
            return new Kept(cluster.pki(), caPem, context, renewAfter, now);
        } catch (SSLException e) {
            throw new IllegalStateException("cannot build the pod network's TLS context of cluster " + cluster.project() + "/"
                    + cluster.name(), e);
        }
    }

    private StoredPki read(String storedPki) {
        try {
            return json.readValue(storedPki, StoredPki.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
