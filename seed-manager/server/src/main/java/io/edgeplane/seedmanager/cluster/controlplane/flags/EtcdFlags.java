package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.cluster.controlplane.CertificatePaths;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;

import java.util.List;
import java.util.stream.Collectors;

/**
 * etcd command line. TLS on both the client and the peer port, and both sides demand a
 * certificate from the etcd CA: the keyspace holds every Secret of the tenant cluster.
 */
public final class EtcdFlags {
    private EtcdFlags() {
    }

    public static List<String> build(ControlPlaneSpec spec, CertificatePaths pki, EtcdEndpoints endpoints) {
        FlagSet flags = new FlagSet()
                .set("name", endpoints.memberName())
                .set("data-dir", endpoints.dataDir())
                .set("listen-client-urls", endpoints.listenClientUrls())
                .set("advertise-client-urls", endpoints.advertiseClientUrls())
                .set("listen-peer-urls", endpoints.listenPeerUrl())
                .set("initial-advertise-peer-urls", endpoints.advertisePeerUrl())
                .set("initial-cluster", endpoints.initialCluster().stream()
                        .map(peer -> peer.name() + "=" + peer.peerUrl())
                        .collect(Collectors.joining(",")))
                // Only read when the data dir is empty; a restarted member rejoins from its own data.
                .set("initial-cluster-state", "new")
                // Members of different tenant clusters can never join each other by mistake.
                .set("initial-cluster-token", spec.namespace())
                .set("client-cert-auth", true)
                .set("trusted-ca-file", pki.etcdCaCert())
                .set("cert-file", pki.etcdServerCert())
                .set("key-file", pki.etcdServerKey())
                .set("peer-client-cert-auth", true)
                .set("peer-trusted-ca-file", pki.etcdCaCert())
                .set("peer-cert-file", pki.etcdPeerCert())
                .set("peer-key-file", pki.etcdPeerKey());
        if (endpoints.listenMetricsUrl() != null) {
            flags.set("listen-metrics-urls", endpoints.listenMetricsUrl());
        }
        return flags.render();
    }
}
