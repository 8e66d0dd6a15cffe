package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.util.List;

/**
 * Entry names of a cluster's PKI. They are kubeadm's file layout relative to a pki directory
 * ({@code etcd/server} is {@code etcd/server.crt} + {@code etcd/server.key}), which every runtime
 * and the components' flags rely on, so they never change.
 */
public final class PkiLayout {
    public static final String CA = "ca";
    public static final String FRONT_PROXY_CA = "front-proxy-ca";
    public static final String ETCD_CA = "etcd/ca";
    /** The service-account signing key pair: {@code sa.key} and {@code sa.pub}, no certificate. */
    public static final String SERVICE_ACCOUNT = "sa";

    public static final String APISERVER = "apiserver";
    public static final String APISERVER_KUBELET_CLIENT = "apiserver-kubelet-client";
    public static final String APISERVER_ETCD_CLIENT = "apiserver-etcd-client";
    public static final String FRONT_PROXY_CLIENT = "front-proxy-client";
    public static final String ETCD_SERVER = "etcd/server";
    public static final String ETCD_PEER = "etcd/peer";
    public static final String CONTROLLER_MANAGER = "controller-manager";
    public static final String SCHEDULER = "scheduler";

    public static final List<String> AUTHORITIES = List.of(CA, FRONT_PROXY_CA, ETCD_CA);
    public static final List<String> LEAVES = List.of(APISERVER, APISERVER_KUBELET_CLIENT, APISERVER_ETCD_CLIENT,
            FRONT_PROXY_CLIENT, ETCD_SERVER, ETCD_PEER, CONTROLLER_MANAGER, SCHEDULER);

    private PkiLayout() {
    }

    public static String certificateFile(String entry) {
        return entry + ".crt";
    }

    public static String keyFile(String entry) {
        return entry + ".key";
    }

    public static String publicKeyFile(String entry) {
        return entry + ".pub";
    }
}
