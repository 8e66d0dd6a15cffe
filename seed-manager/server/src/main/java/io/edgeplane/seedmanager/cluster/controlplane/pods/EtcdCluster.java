package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.flags.EtcdEndpoints;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

/**
 * Names and URLs of the etcd members in the pods runtime. Members are StatefulSet pods
 * {@code etcd-0..n} with stable DNS names under the headless Service; etcd's serving and peer
 * certificates must name them ({@link #serverNames}).
 */
public final class EtcdCluster {
    /** StatefulSet and headless Service name; the Service gives each member its DNS name. */
    public static final String NAME = "etcd";
    /** ClusterIP Service for clients that want any member (backups, etcdctl). */
    public static final String CLIENT_SERVICE = "etcd-client";
    /** Filled in by Kubernetes from the downward API, so one pod template serves every member. */
    static final String POD_NAME = "$(POD_NAME)";

    private EtcdCluster() {
    }

    /** {@code etcd-0.etcd.<namespace>.svc}: resolvable from any pod in the seed cluster. */
    public static String memberHost(ControlPlaneSpec spec, String member) {
        return member + "." + NAME + "." + spec.namespace() + ".svc";
    }

    public static List<String> memberNames(ControlPlaneSpec spec) {
        return IntStream.range(0, spec.etcdReplicas()).mapToObj(i -> NAME + "-" + i).toList();
    }

    /** What the apiserver connects to: every member, so it fails over by itself. */
    public static List<String> clientUrls(ControlPlaneSpec spec) {
        return memberNames(spec).stream().map(member -> clientUrl(spec, member)).toList();
    }

    /** DNS names etcd's server and peer certificates must carry (peers check each other's names too). */
    public static List<String> serverNames(ControlPlaneSpec spec) {
        List<String> names = new ArrayList<>();
        memberNames(spec).forEach(member -> names.add(memberHost(spec, member)));
        names.add(CLIENT_SERVICE + "." + spec.namespace() + ".svc");
        names.add("localhost");
        return names;
    }

    static EtcdEndpoints endpoints(ControlPlaneSpec spec) {
        List<EtcdEndpoints.Peer> peers = memberNames(spec).stream()
                .map(member -> new EtcdEndpoints.Peer(member, peerUrl(spec, member)))
                .toList();
        return new EtcdEndpoints(POD_NAME,
                PodLayout.ETCD_DATA_DIR,
                List.of(url("https", PodLayout.ALL_ADDRESSES, PodLayout.ETCD_CLIENT_PORT)),
                List.of(clientUrl(spec, POD_NAME)),
                url("https", PodLayout.ALL_ADDRESSES, PodLayout.ETCD_PEER_PORT),
                peerUrl(spec, POD_NAME),
                peers,
                // Plain HTTP so the kubelet can probe /livez and /readyz; it serves no keys.
                url("http", PodLayout.ALL_ADDRESSES, PodLayout.ETCD_METRICS_PORT));
    }

    private static String clientUrl(ControlPlaneSpec spec, String member) {
        return url("https", memberHost(spec, member), PodLayout.ETCD_CLIENT_PORT);
    }

    private static String peerUrl(ControlPlaneSpec spec, String member) {
        return url("https", memberHost(spec, member), PodLayout.ETCD_PEER_PORT);
    }

    private static String url(String scheme, String host, int port) {
        return scheme + "://" + host + ":" + port;
    }
}
