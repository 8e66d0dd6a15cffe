package io.edgeplane.seedmanager.cluster.controlplane.flags;

import java.util.List;
import java.util.Objects;

/**
 * Where one etcd member lives and how it reaches its peers; the runtime decides (loopback ports
 * in process mode, pod DNS names in the pods runtime).
 *
 * @param memberName          this member's name; must appear in {@code initialCluster}
 * @param dataDir             the member's data directory
 * @param listenClientUrls    URLs the member serves clients on
 * @param advertiseClientUrls URLs clients are told to use
 * @param listenPeerUrl       URL the member serves peers on
 * @param advertisePeerUrl    URL peers are told to use
 * @param initialCluster      every member of a new cluster, in a fixed order
 * @param listenMetricsUrl    plain-HTTP URL for /metrics and health probes (no data behind it), or null
 */
public record EtcdEndpoints(String memberName,
                            String dataDir,
                            List<String> listenClientUrls,
                            List<String> advertiseClientUrls,
                            String listenPeerUrl,
                            String advertisePeerUrl,
                            List<Peer> initialCluster,
                            String listenMetricsUrl) {

    /** One member of the initial cluster. */
    public record Peer(String name, String peerUrl) {
        public Peer {
            Objects.requireNonNull(name, "name");
            Objects.requireNonNull(peerUrl, "peerUrl");
        }
    }

    public EtcdEndpoints {
        Objects.requireNonNull(memberName, "memberName");
        Objects.requireNonNull(dataDir, "dataDir");
        Objects.requireNonNull(listenPeerUrl, "listenPeerUrl");
        Objects.requireNonNull(advertisePeerUrl, "advertisePeerUrl");
        listenClientUrls = List.copyOf(listenClientUrls);
        advertiseClientUrls = List.copyOf(advertiseClientUrls);
        initialCluster = List.copyOf(initialCluster);
        if (listenClientUrls.isEmpty() || advertiseClientUrls.isEmpty() || initialCluster.isEmpty()) {
            throw new IllegalArgumentException("etcd needs client URLs and an initial cluster");
        }
    }

    /** A one-member cluster that listens where it advertises, as in process mode. */
    public static EtcdEndpoints singleMember(String memberName, String dataDir, String clientUrl, String peerUrl,
                                             String listenMetricsUrl) {
        return new EtcdEndpoints(memberName, dataDir, List.of(clientUrl), List.of(clientUrl), peerUrl, peerUrl,
                List.of(new Peer(memberName, peerUrl)), listenMetricsUrl);
    }
}
