package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.CertificatePaths;

/** Paths and ports inside control-plane pods, shared by the flag inputs and the volume mounts. */
public final class PodLayout {
    public static final String PKI_DIR = "/etc/kubernetes/pki";
    public static final CertificatePaths PKI = new CertificatePaths(PKI_DIR);

    public static final String AUDIT_POLICY_DIR = "/etc/kubernetes/audit";
    public static final String AUDIT_POLICY_KEY = "policy.yaml";
    public static final String AUDIT_POLICY_FILE = AUDIT_POLICY_DIR + "/" + AUDIT_POLICY_KEY;
    public static final String AUDIT_LOG_DIR = "/var/log/kubernetes/audit";
    public static final String AUDIT_LOG_FILE = AUDIT_LOG_DIR + "/audit.log";

    public static final String ETCD_VOLUME_DIR = "/var/lib/etcd";
    /** A directory below the volume root, so etcd creates it itself with the 0700 mode it wants. */
    public static final String ETCD_DATA_DIR = ETCD_VOLUME_DIR + "/data";

    /** The tunnel server's credentials, mounted into its container only. */
    public static final String TUNNEL_DIR = "/etc/kubernetes/tunnel";
    /** The egress selector configuration, from its ConfigMap. */
    public static final String EGRESS_DIR = "/etc/kubernetes/egress";
    public static final String EGRESS_KEY = "egress-selector.yaml";
    /** The apiserver's encryption configuration, from its Secret. */
    public static final String ENCRYPTION_DIR = "/etc/kubernetes/encryption";
    public static final String ENCRYPTION_KEY = "encryption-config.yaml";
    /** A volume the apiserver and the tunnel server share: the Unix socket between them. */
    public static final String TUNNEL_SOCKET_DIR = "/run/konnectivity";
    public static final String TUNNEL_SOCKET = TUNNEL_SOCKET_DIR + "/konnectivity-server.sock";

    /** Devices' tunnel agents dial this port (through the apiserver Service). */
    public static final int TUNNEL_AGENT_PORT = 8132;
    /** Admin (metrics, pprof) stays on the pod's loopback; health answers the kubelet's probes. */
    public static final int TUNNEL_ADMIN_PORT = 8133;
    public static final int TUNNEL_HEALTH_PORT = 8134;

    public static final int ETCD_CLIENT_PORT = 2379;
    public static final int ETCD_PEER_PORT = 2380;
    public static final int ETCD_METRICS_PORT = 2381;
    public static final int CONTROLLER_MANAGER_PORT = 10257;
    public static final int SCHEDULER_PORT = 10259;

    /** Every component listens on all pod addresses: the kubelet probes and Services reach it on the pod IP. */
    public static final String ALL_ADDRESSES = "0.0.0.0";

    private PodLayout() {
    }
}
