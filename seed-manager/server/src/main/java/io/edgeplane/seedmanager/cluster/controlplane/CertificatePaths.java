package io.edgeplane.seedmanager.cluster.controlplane;

import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where the PKI files and component kubeconfigs of one control plane live: the kubeadm layout
 * ({@code ca.crt}, {@code etcd/server.key}, {@code sa.pub}, ...) under one directory. The process
 * runtime points it at the cluster's data dir, the pods runtime at the mount path in the pod.
 */
public record CertificatePaths(String pkiDir) {

    public static final String CA_CERT = "ca.crt";
    public static final String CA_KEY = "ca.key";
    public static final String FRONT_PROXY_CA_CERT = "front-proxy-ca.crt";
    public static final String FRONT_PROXY_CA_KEY = "front-proxy-ca.key";
    public static final String FRONT_PROXY_CLIENT_CERT = "front-proxy-client.crt";
    public static final String FRONT_PROXY_CLIENT_KEY = "front-proxy-client.key";
    public static final String ETCD_CA_CERT = "etcd/ca.crt";
    public static final String ETCD_CA_KEY = "etcd/ca.key";
    public static final String ETCD_SERVER_CERT = "etcd/server.crt";
    public static final String ETCD_SERVER_KEY = "etcd/server.key";
    public static final String ETCD_PEER_CERT = "etcd/peer.crt";
    public static final String ETCD_PEER_KEY = "etcd/peer.key";
    public static final String APISERVER_CERT = "apiserver.crt";
    public static final String APISERVER_KEY = "apiserver.key";
    public static final String APISERVER_KUBELET_CLIENT_CERT = "apiserver-kubelet-client.crt";
    public static final String APISERVER_KUBELET_CLIENT_KEY = "apiserver-kubelet-client.key";
    public static final String APISERVER_ETCD_CLIENT_CERT = "apiserver-etcd-client.crt";
    public static final String APISERVER_ETCD_CLIENT_KEY = "apiserver-etcd-client.key";
    public static final String SERVICE_ACCOUNT_KEY = "sa.key";
    public static final String SERVICE_ACCOUNT_PUBLIC_KEY = "sa.pub";
    public static final String CONTROLLER_MANAGER_KUBECONFIG = "controller-manager.conf";
    public static final String SCHEDULER_KUBECONFIG = "scheduler.conf";

    /** Every certificate and key file, relative to {@link #pkiDir()}. */
    public static final List<String> PKI_FILES = List.of(
            CA_CERT, CA_KEY, FRONT_PROXY_CA_CERT, FRONT_PROXY_CA_KEY, FRONT_PROXY_CLIENT_CERT, FRONT_PROXY_CLIENT_KEY,
            ETCD_CA_CERT, ETCD_CA_KEY, ETCD_SERVER_CERT, ETCD_SERVER_KEY, ETCD_PEER_CERT, ETCD_PEER_KEY,
            APISERVER_CERT, APISERVER_KEY, APISERVER_KUBELET_CLIENT_CERT, APISERVER_KUBELET_CLIENT_KEY,
            APISERVER_ETCD_CLIENT_CERT, APISERVER_ETCD_CLIENT_KEY, SERVICE_ACCOUNT_KEY, SERVICE_ACCOUNT_PUBLIC_KEY);

    /** The component kubeconfigs, which sit beside the PKI files. */
    public static final List<String> KUBECONFIG_FILES = List.of(CONTROLLER_MANAGER_KUBECONFIG, SCHEDULER_KUBECONFIG);

    public CertificatePaths {
        Objects.requireNonNull(pkiDir, "pkiDir");
        pkiDir = pkiDir.length() > 1 && pkiDir.endsWith("/") ? pkiDir.substring(0, pkiDir.length() - 1) : pkiDir;
    }

    /** Absolute path of a file given relative to the PKI directory, e.g. {@code etcd/ca.crt}. */
    public String resolve(String relative) {
        return pkiDir + "/" + relative;
    }

    /** The inverse of {@link #resolve}: a path inside the PKI directory as a relative name. */
    public Optional<String> relativize(String path) {
        String prefix = pkiDir + "/";
        return path.startsWith(prefix) ? Optional.of(path.substring(prefix.length())) : Optional.empty();
    }

    public String caCert() {
        return resolve(CA_CERT);
    }

    public String caKey() {
        return resolve(CA_KEY);
    }

    public String frontProxyCaCert() {
        return resolve(FRONT_PROXY_CA_CERT);
    }

    public String frontProxyCaKey() {
        return resolve(FRONT_PROXY_CA_KEY);
    }

    public String frontProxyClientCert() {
        return resolve(FRONT_PROXY_CLIENT_CERT);
    }

    public String frontProxyClientKey() {
        return resolve(FRONT_PROXY_CLIENT_KEY);
    }

    public String etcdCaCert() {
        return resolve(ETCD_CA_CERT);
    }

    public String etcdCaKey() {
        return resolve(ETCD_CA_KEY);
    }

    public String etcdServerCert() {
        return resolve(ETCD_SERVER_CERT);
    }

    public String etcdServerKey() {
        return resolve(ETCD_SERVER_KEY);
    }

    public String etcdPeerCert() {
        return resolve(ETCD_PEER_CERT);
    }

    public String etcdPeerKey() {
        return resolve(ETCD_PEER_KEY);
    }

    public String apiServerCert() {
        return resolve(APISERVER_CERT);
    }

    public String apiServerKey() {
        return resolve(APISERVER_KEY);
    }

    public String apiServerKubeletClientCert() {
        return resolve(APISERVER_KUBELET_CLIENT_CERT);
    }

    public String apiServerKubeletClientKey() {
        return resolve(APISERVER_KUBELET_CLIENT_KEY);
    }

    public String apiServerEtcdClientCert() {
        return resolve(APISERVER_ETCD_CLIENT_CERT);
    }

    public String apiServerEtcdClientKey() {
        return resolve(APISERVER_ETCD_CLIENT_KEY);
    }

    public String serviceAccountKey() {
        return resolve(SERVICE_ACCOUNT_KEY);
    }

    public String serviceAccountPublicKey() {
        return resolve(SERVICE_ACCOUNT_PUBLIC_KEY);
    }

    public String controllerManagerKubeconfig() {
        return resolve(CONTROLLER_MANAGER_KUBECONFIG);
    }

    public String schedulerKubeconfig() {
        return resolve(SCHEDULER_KUBECONFIG);
    }
}
