package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.cluster.controlplane.CertificatePaths;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;

import java.util.List;

/**
 * kube-apiserver command line, kubeadm-equivalent: x509 client certificates from the cluster CA,
 * Node and RBAC authorization, bootstrap tokens for joining devices, NodeRestriction so a kubelet
 * can only touch its own Node and pods.
 *
 * <p>{@code --anonymous-auth} stays at its default on purpose: the kubelet's readiness and liveness
 * probes are anonymous, and RBAC grants anonymous users nothing beyond the health endpoints.
 */
public final class ApiServerFlags {
    /** Days, files and megabytes of audit log kept; bounds the disk an audited cluster can use. */
    static final int AUDIT_LOG_MAX_AGE_DAYS = 30;
    static final int AUDIT_LOG_MAX_BACKUPS = 10;
    static final int AUDIT_LOG_MAX_SIZE_MB = 100;

    /**
     * TLS 1.2 suites offered (TLS 1.3 has only strong ones): ECDHE key exchange and AEAD ciphers only, a subset of the
     * CIS benchmark's list (1.2.29). Every client of a tenant apiserver (kubelets, kubectl, konnectivity, the seed
     * manager's JDK) has them.
     */
    static final String TLS_CIPHER_SUITES = String.join(",",
            "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256", "TLS_ECDHE_ECDSA_WITH_AES_256_GCM_SHA384",
            "TLS_ECDHE_ECDSA_WITH_CHACHA20_POLY1305_SHA256", "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256",
            "TLS_ECDHE_RSA_WITH_AES_256_GCM_SHA384", "TLS_ECDHE_RSA_WITH_CHACHA20_POLY1305_SHA256");

    /** Default issuer of kubeadm clusters; workloads and tools expect it. */
    static final String SERVICE_ACCOUNT_ISSUER = "https://kubernetes.default.svc";

    private ApiServerFlags() {
    }

    public static List<String> build(ControlPlaneSpec spec, CertificatePaths pki, ApiServerEndpoints endpoints) {
        FlagSet flags = new FlagSet()
                .set("bind-address", endpoints.bindAddress())
                .set("secure-port", endpoints.securePort())
                .set("tls-cert-file", pki.apiServerCert())
                .set("tls-private-key-file", pki.apiServerKey())
                .set("tls-cipher-suites", TLS_CIPHER_SUITES)
                .set("etcd-servers", endpoints.etcdServers())
                .set("etcd-cafile", pki.etcdCaCert())
                .set("etcd-certfile", pki.apiServerEtcdClientCert())
                .set("etcd-keyfile", pki.apiServerEtcdClientKey())
                .set("client-ca-file", pki.caCert())
                .set("kubelet-client-certificate", pki.apiServerKubeletClientCert())
                .set("kubelet-client-key", pki.apiServerKubeletClientKey())
                // Kubelets' serving certificates come from the cluster CA (approved by the seed manager after its identity
                // checks): logs, exec and port-forward verify the kubelet they reach, with or without a tunnel.
                .set("kubelet-certificate-authority", pki.caCert())
                // Aggregated API servers trust requests the apiserver proxies with the front-proxy identity.
                .set("requestheader-client-ca-file", pki.frontProxyCaCert())
                .set("requestheader-allowed-names", "front-proxy-client")
                .set("requestheader-username-headers", "X-Remote-User")
                .set("requestheader-group-headers", "X-Remote-Group")
                .set("requestheader-extra-headers-prefix", "X-Remote-Extra-")
                .set("proxy-client-cert-file", pki.frontProxyClientCert())
                .set("proxy-client-key-file", pki.frontProxyClientKey())
                .set("service-account-issuer", SERVICE_ACCOUNT_ISSUER)
                .set("service-account-key-file", pki.serviceAccountPublicKey())
                .set("service-account-signing-key-file", pki.serviceAccountKey())
                // Projected tokens live as long as they were asked for (the kubelet renews them), not a year (CIS 1.2.30).
                .set("service-account-extend-token-expiration", false)
                .set("service-cluster-ip-range", spec.serviceCidr())
                .set("authorization-mode", "Node,RBAC")
                .set("enable-bootstrap-token-auth", true)
                .set("enable-admission-plugins", "NodeRestriction")
                .set("encryption-provider-config", endpoints.encryptionConfigFile())
                // A rotated key reaches the apiserver by rewriting the file (or its mounted Secret), without a restart.
                .set("encryption-provider-config-automatic-reload", true)
                // Workloads on edge devices may need host access (device plugins, network setup).
                .set("allow-privileged", true)
                // Webhooks and aggregated APIs served by pods are dialled at a pod's address, which the
                // tunnel routes to that pod's device; the seed runs no kube-proxy, so a ClusterIP leads nowhere.
                .set("enable-aggregator-routing", true)
                .set("profiling", false);
        if (endpoints.advertiseAddress() != null) {
            flags.set("advertise-address", endpoints.advertiseAddress());
        } else {
            // Publishing a pod or bind address would send in-cluster clients on devices to an unreachable IP.
            flags.set("endpoint-reconciler-type", "none");
        }
        if (spec.auditLogging()) {
            auditLogging(flags, endpoints);
        }
        if (endpoints.egressSelectorConfigFile() != null) {
            // Through the tunnel each device is found by its node name, which its kubelet's serving
            // certificate carries: addresses repeat across sites behind NAT, names do not.
            flags.set("egress-selector-config-file", endpoints.egressSelectorConfigFile())
                    .set("kubelet-preferred-address-types", "Hostname,InternalIP,ExternalIP");
        } else {
            flags.set("kubelet-preferred-address-types", "InternalIP,Hostname");
        }
        Integer eviction = spec.nodeHealth().evictionSeconds();
        if (eviction != null) {
            // Pods without their own NoExecute tolerations leave a NotReady/unreachable node after this long.
            flags.set("default-not-ready-toleration-seconds", eviction)
                    .set("default-unreachable-toleration-seconds", eviction);
        }
        return flags.render();
    }

    private static void auditLogging(FlagSet flags, ApiServerEndpoints endpoints) {
        if (endpoints.auditLogPath() == null || endpoints.auditPolicyFile() == null) {
            throw new IllegalArgumentException("audit logging is on but no audit log path or policy file is given");
        }
        flags.set("audit-log-path", endpoints.auditLogPath())
                .set("audit-policy-file", endpoints.auditPolicyFile())
                .set("audit-log-maxage", AUDIT_LOG_MAX_AGE_DAYS)
                .set("audit-log-maxbackup", AUDIT_LOG_MAX_BACKUPS)
                .set("audit-log-maxsize", AUDIT_LOG_MAX_SIZE_MB);
    }
}
