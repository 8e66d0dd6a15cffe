package io.edgeplane.seedmanager.cluster.controlplane.pki;

import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * What a cluster's PKI must cover.
 *
 * @param clusterName    the cluster the PKI belongs to; binds its sealed keys to it
 * @param apiserverSans  DNS names and IP addresses of the kube-apiserver serving certificate
 * @param etcdSans       DNS names and IP addresses of the etcd members (localhost and 127.0.0.1 are always added)
 * @param caLifetime     validity of the three certificate authorities
 * @param leafLifetime   validity of serving and client certificates; never beyond their CA's
 */
public record ClusterPkiRequest(String clusterName,
                                List<String> apiserverSans,
                                List<String> etcdSans,
                                Duration caLifetime,
                                Duration leafLifetime) {
    /** Where in-cluster clients look for the API: the kubernetes Service's DNS names. */
    static final String CLUSTER_DOMAIN = "cluster.local";

    public ClusterPkiRequest {
        if (clusterName == null || clusterName.isBlank()) {
            throw new IllegalArgumentException("clusterName must not be blank");
        }
        apiserverSans = SubjectAltNames.distinct(Objects.requireNonNull(apiserverSans, "apiserverSans"));
        etcdSans = SubjectAltNames.distinct(Objects.requireNonNull(etcdSans, "etcdSans"));
        requirePositive(caLifetime, "caLifetime");
        requirePositive(leafLifetime, "leafLifetime");
        if (leafLifetime.compareTo(caLifetime) > 0) {
            throw new IllegalArgumentException("leafLifetime " + leafLifetime + " exceeds caLifetime " + caLifetime);
        }
    }

    /**
     * The names clients reach the apiserver by: the external address devices use, loopback, the
     * kubernetes Service's DNS names and its IP (the first address of {@code serviceCidr}).
     */
    public static List<String> defaultApiserverSans(String externalAddress, String serviceCidr) {
        if (externalAddress == null || externalAddress.isBlank()) {
            throw new IllegalArgumentException("externalAddress must not be blank");
        }
        return SubjectAltNames.distinct(List.of(
                externalAddress.strip(),
                "127.0.0.1",
                "localhost",
                "kubernetes",
                "kubernetes.default",
                "kubernetes.default.svc",
                "kubernetes.default.svc." + CLUSTER_DOMAIN,
                SubjectAltNames.firstHostAddress(serviceCidr)));
    }

    private static void requirePositive(Duration duration, String name) {
        if (duration == null || duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(name + " must be positive, got " + duration);
        }
    }
}
