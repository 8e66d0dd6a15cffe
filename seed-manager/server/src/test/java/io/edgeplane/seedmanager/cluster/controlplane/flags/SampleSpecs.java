package io.edgeplane.seedmanager.cluster.controlplane.flags;

import io.edgeplane.seedmanager.cluster.controlplane.CertificatePaths;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneSpec;
import io.edgeplane.seedmanager.cluster.controlplane.TunnelCredentials;
import io.edgeplane.seedmanager.cluster.controlplane.NodeHealth;
import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.edgeplane.seedmanager.datacenter.ExposeStrategy;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The fixed inputs golden files and assertions are rendered from. */
public final class SampleSpecs {
    public static final String EXTERNAL_ADDRESS = "203.0.113.10";
    public static final Map<String, String> IMAGES = Map.of(
            "etcd", "registry.example.net/edgeplane/etcd:v3.6.16",
            "konnectivity-server", "registry.example.net/edgeplane/konnectivity-server:v0.34.0",
            "kube-apiserver", "registry.example.net/edgeplane/kube-apiserver:v1.36.3",
            "kube-controller-manager", "registry.example.net/edgeplane/kube-controller-manager:v1.36.3",
            "kube-scheduler", "registry.example.net/edgeplane/kube-scheduler:v1.36.3");
    /** Where the process runtime would keep this cluster's PKI. */
    public static final CertificatePaths PROCESS_PKI = new CertificatePaths("/var/lib/edgeplane/clusters/cluster-acme-edge-1/pki");

    /** Stand-in tunnel server credentials. */
    public static final TunnelCredentials TUNNEL = new TunnelCredentials("5eed1", pem("konnectivity-server.crt"),
            pem("konnectivity-server.key"), "apiVersion: v1\nkind: Config\n");

    /** A fixed secretbox key, so golden files are stable; never a real cluster's. */
    public static final EncryptionKeys ENCRYPTION_KEYS = EncryptionKeys.of(List.of(
            new EncryptionKeys.Key("key-1", "golden-files-only-not-a-real-key".getBytes(StandardCharsets.US_ASCII))));
    public static final List<String> ENCRYPTION_KEY_NAMES = List.of("key-1");

    private SampleSpecs() {
    }

    public static ControlPlaneSpec spec(ExposeStrategy exposeStrategy, boolean auditLogging, int etcdReplicas) {
        return new ControlPlaneSpec("acme", "edge-1", "v1.36.3", EXTERNAL_ADDRESS, 32443, null, auditLogging,
                etcdReplicas, exposeStrategy, IMAGES, exposeStrategy == ExposeStrategy.NODE_PORT ? 30443 : null);
    }

    /** One etcd member, no audit log, exposed by NodePort. */
    public static ControlPlaneSpec single() {
        return spec(ExposeStrategy.NODE_PORT, false, 1);
    }

    /** Three etcd members, audit log on, exposed by a load balancer. */
    public static ControlPlaneSpec highlyAvailable() {
        return spec(ExposeStrategy.LOAD_BALANCER, true, 3);
    }

    /** {@link #single()} with short node-health timeouts, as an E2E cluster that cuts devices off sets them. */
    public static ControlPlaneSpec shortNodeHealth() {
        return single().withNodeHealth(new NodeHealth(20, 30));
    }

    /** Every combination the builders branch on. */
    public static List<ControlPlaneSpec> variants() {
        return List.of(single(), highlyAvailable(), spec(ExposeStrategy.NODE_PORT, true, 1),
                spec(ExposeStrategy.LOAD_BALANCER, false, 3), spec(ExposeStrategy.HOST_PORT, false, 1), shortNodeHealth());
    }

    /** A one-member etcd on loopback, as the process runtime runs it. */
    public static EtcdEndpoints processEtcd() {
        return EtcdEndpoints.singleMember("etcd", "/var/lib/edgeplane/clusters/cluster-acme-edge-1/etcd",
                "https://127.0.0.1:32379", "https://127.0.0.1:32380", "http://127.0.0.1:32381");
    }

    /** The apiserver on all host addresses at its allocated port, as the process runtime runs it. */
    public static ApiServerEndpoints processApiServer() {
        return new ApiServerEndpoints("0.0.0.0", 32443, EXTERNAL_ADDRESS, List.of("https://127.0.0.1:32379"),
                "/var/lib/edgeplane/clusters/cluster-acme-edge-1/audit/audit.log",
                "/var/lib/edgeplane/clusters/cluster-acme-edge-1/audit/policy.yaml", null,
                "/var/lib/edgeplane/clusters/cluster-acme-edge-1/encryption-config.yaml");
    }

    /** Stand-in PEM content for every PKI file; only its shape matters to the builders. */
    public static Map<String, String> pkiFiles() {
        Map<String, String> files = new LinkedHashMap<>();
        CertificatePaths.PKI_FILES.forEach(file -> files.put(file, pem(file)));
        return files;
    }

    public static String pem(String name) {
        String type = name.endsWith(".crt") ? "CERTIFICATE" : name.endsWith(".pub") ? "PUBLIC KEY" : "PRIVATE KEY";
        return "-----BEGIN " + type + "-----\n" + name + "\n-----END " + type + "-----\n";
    }
}
