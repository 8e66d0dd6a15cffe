package io.edgeplane.seedmanager.cluster;

import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import static org.assertj.core.api.Assertions.assertThat;

/** One kept client per cluster: minted once, renewed before its certificate expires or when the stored PKI changes. */
class TenantClientsTest {
    private final AtomicReference<Instant> now = new AtomicReference<>(Instant.parse("2026-01-01T00:00:00Z"));
    private final Clock clock = new Clock() {
        @Override
        public ZoneOffset getZone() {
            return ZoneOffset.UTC;
        }

        @Override
        public Clock withZone(java.time.ZoneId zone) {
            return this;
        }

        @Override
        public Instant instant() {
            return now.get();
        }
    };
    private final List<String> minted = new ArrayList<>();

    private TenantClients.Tenant mint(Cluster cluster) {
        minted.add(cluster.id() + " " + cluster.pki());
        KubernetesClient client = (KubernetesClient) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[]{KubernetesClient.class}, (proxy, method, args) -> null);
        return new TenantClients.Tenant(client, "https://10.0.0.1:6443", "CA", now.get().plus(TenantClients.LIFETIME));
    }

    @Test
    void passesShareOneClientPerClusterUntilItIsDueForRenewal() {
        TenantClients clients = new TenantClients(clock);
        try {
            TenantClients.Tenant first = clients.get(cluster("c1", "pki-1"), this::mint);
            for (int pass = 0; pass < 100; pass++) {
                assertThat(clients.get(cluster("c1", "pki-1"), this::mint)).isSameAs(first);
            }
            TenantClients.Tenant other = clients.get(cluster("c2", "pki-2"), this::mint);
            assertThat(other).isNotSameAs(first);
            assertThat(minted).containsExactly("c1 pki-1", "c2 pki-2");

            now.set(first.notAfter().minus(TenantClients.RENEW_BEFORE).minusSeconds(1));
            assertThat(clients.get(cluster("c1", "pki-1"), this::mint)).isSameAs(first);
            now.set(first.notAfter().minus(TenantClients.RENEW_BEFORE));
            TenantClients.Tenant renewed = clients.get(cluster("c1", "pki-1"), this::mint);
            assertThat(renewed).isNotSameAs(first);
            assertThat(renewed.notAfter()).isAfter(first.notAfter());

            assertThat(clients.get(cluster("c1", "pki-rotated"), this::mint)).as("a changed PKI gets a new client").isNotSameAs(renewed);
            clients.forget("c1");
            clients.get(cluster("c1", "pki-rotated"), this::mint);
            assertThat(minted).hasSize(5);
        } finally {
            clients.close();
        }
    }

    private Cluster cluster(String id, String pki) {
        Instant at = Instant.parse("2026-01-01T00:00:00Z");
        return new Cluster(id, "p1", id, "dc", "v1.36.3", null, null, "10.244.0.0/14", 1, 1, ClusterPhase.Running, "{}", pki, false,
                null, null, at, at, at);
    }

}
