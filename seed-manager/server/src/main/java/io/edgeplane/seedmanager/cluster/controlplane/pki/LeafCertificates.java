package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.APISERVER;
import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.APISERVER_ETCD_CLIENT;
import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.APISERVER_KUBELET_CLIENT;
import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.CA;
import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.CONTROLLER_MANAGER;
import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.ETCD_CA;
import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.ETCD_PEER;
import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.ETCD_SERVER;
import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.FRONT_PROXY_CA;
import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.FRONT_PROXY_CLIENT;
import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiLayout.SCHEDULER;

/** The leaf certificates of a control plane, with kubeadm's names, signers and identities. */
final class LeafCertificates {
    /** Which CA signs which leaf: etcd trusts only its own CA, the aggregation layer only the front-proxy CA. */
    private static final Map<String, String> ISSUERS = Map.of(
            APISERVER, CA,
            APISERVER_KUBELET_CLIENT, CA,
            APISERVER_ETCD_CLIENT, ETCD_CA,
            FRONT_PROXY_CLIENT, FRONT_PROXY_CA,
            ETCD_SERVER, ETCD_CA,
            ETCD_PEER, ETCD_CA,
            CONTROLLER_MANAGER, CA,
            SCHEDULER, CA);
    /** etcd is always reached over loopback too (health checks, the apiserver in process mode). */
    private static final List<String> ETCD_LOOPBACK = List.of("localhost", "127.0.0.1");

    private LeafCertificates() {
    }

    static String issuerOf(String leaf) {
        String issuer = ISSUERS.get(leaf);
        if (issuer == null) {
            throw new IllegalArgumentException("unknown leaf certificate " + leaf);
        }
        return issuer;
    }

    /** Profiles keyed by entry name, in {@link PkiLayout#LEAVES} order. */
    static Map<String, LeafProfile> profiles(ClusterPkiRequest request) {
        List<String> etcdSans = SubjectAltNames.distinct(request.etcdSans(), ETCD_LOOPBACK);
        Map<String, LeafProfile> profiles = new LinkedHashMap<>();
        add(profiles, new LeafProfile(APISERVER, issuerOf(APISERVER), "kube-apiserver", List.of(), true, false,
                request.apiserverSans()));
        add(profiles, client(APISERVER_KUBELET_CLIENT, "kube-apiserver-kubelet-client", List.of("system:masters")));
        add(profiles, client(APISERVER_ETCD_CLIENT, "kube-apiserver-etcd-client", List.of()));
        add(profiles, client(FRONT_PROXY_CLIENT, "front-proxy-client", List.of()));
        add(profiles, new LeafProfile(ETCD_SERVER, issuerOf(ETCD_SERVER), "kube-etcd", List.of(), true, true, etcdSans));
        add(profiles, new LeafProfile(ETCD_PEER, issuerOf(ETCD_PEER), "kube-etcd-peer", List.of(), true, true, etcdSans));
        add(profiles, client(CONTROLLER_MANAGER, "system:kube-controller-manager", List.of()));
        add(profiles, client(SCHEDULER, "system:kube-scheduler", List.of()));
        return profiles;
    }

    private static LeafProfile client(String entry, String commonName, List<String> organizations) {
        return LeafProfile.client(entry, issuerOf(entry), commonName, organizations);
    }

    private static void add(Map<String, LeafProfile> profiles, LeafProfile profile) {
        profiles.put(profile.entry(), profile);
    }
}
