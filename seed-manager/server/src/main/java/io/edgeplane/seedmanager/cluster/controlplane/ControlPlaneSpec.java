package io.edgeplane.seedmanager.cluster.controlplane;

import io.edgeplane.seedmanager.datacenter.ExposeStrategy;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * What one tenant control plane is, independent of how it runs (pods or processes). Flag and
 * object builders are pure functions of this record plus runtime-specific paths and endpoints.
 *
 * @param project         owning project (DNS label)
 * @param cluster         cluster name within the project (DNS label)
 * @param version         Kubernetes version of every component, e.g. {@code v1.36.3}
 * @param externalAddress host name or IP devices dial to reach the apiserver
 * @param apiserverPort   secure port in process mode (allocated per cluster); the pods runtime serves
 *                        on {@link #POD_APISERVER_PORT} inside the pod and exposes it by Service
 * @param serviceCidr     tenant Service IP range ({@link #DEFAULT_SERVICE_CIDR} when null)
 * @param auditLogging    apiserver audit logging on (the datacenter's {@code enforceAuditLogging})
 * @param etcdReplicas    1, or 3 for a highly available control plane
 * @param exposeStrategy  how devices reach the apiserver
 * @param images          component name ({@code etcd}, {@code kube-apiserver}, ...) to image reference;
 *                        only the pods runtime needs them
 * @param nodePort        fixed NodePort for the apiserver Service, or null to let the seed cluster pick
 * @param nodeHealth      node grace period and default eviction timeout ({@link NodeHealth#DEFAULTS} when null)
 */
public record ControlPlaneSpec(String project,
                               String cluster,
                               String version,
                               String externalAddress,
                               int apiserverPort,
                               String serviceCidr,
                               boolean auditLogging,
                               int etcdReplicas,
                               ExposeStrategy exposeStrategy,
                               Map<String, String> images,
                               Integer nodePort,
                               NodeHealth nodeHealth) {

    public static final String DEFAULT_SERVICE_CIDR = "10.96.0.0/16";
    public static final int POD_APISERVER_PORT = 6443;

    private static final int DNS_LABEL_MAX = 63;
    private static final int HASH_CHARS = 10;
    private static final Pattern VERSION = Pattern.compile("v\\d+\\.\\d+\\.\\d+(-[0-9A-Za-z.-]+)?");

    public ControlPlaneSpec {
        Objects.requireNonNull(project, "project");
        Objects.requireNonNull(cluster, "cluster");
        Objects.requireNonNull(externalAddress, "externalAddress");
        Objects.requireNonNull(exposeStrategy, "exposeStrategy");
        if (version == null || !VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("version must look like v1.36.3, got " + version);
        }
        if (apiserverPort < 1 || apiserverPort > 65535) {
            throw new IllegalArgumentException("apiserverPort out of range: " + apiserverPort);
        }
        if (nodePort != null && (nodePort < 1 || nodePort > 65535)) {
            throw new IllegalArgumentException("nodePort out of range: " + nodePort);
        }
        if (etcdReplicas != 1 && etcdReplicas != 3) {
            throw new IllegalArgumentException("etcdReplicas must be 1 or 3, got " + etcdReplicas);
        }
        serviceCidr = serviceCidr == null ? DEFAULT_SERVICE_CIDR : serviceCidr;
        images = images == null ? Map.of() : Map.copyOf(images);
        nodeHealth = nodeHealth == null ? NodeHealth.DEFAULTS : nodeHealth;
    }

    /** A spec with the Kubernetes defaults for node health. */
    public ControlPlaneSpec(String project, String cluster, String version, String externalAddress, int apiserverPort,
                            String serviceCidr, boolean auditLogging, int etcdReplicas, ExposeStrategy exposeStrategy,
                            Map<String, String> images, Integer nodePort) {
        this(project, cluster, version, externalAddress, apiserverPort, serviceCidr, auditLogging, etcdReplicas, exposeStrategy,
                images, nodePort, NodeHealth.DEFAULTS);
    }

    /** The same spec with other node-health timeouts. */
    public ControlPlaneSpec withNodeHealth(NodeHealth health) {
        return new ControlPlaneSpec(project, cluster, version, externalAddress, apiserverPort, serviceCidr, auditLogging,
                etcdReplicas, exposeStrategy, images, nodePort, health);
    }

    /**
     * {@code cluster-<project>-<cluster>}, the seed namespace and the cluster's id in labels. Names
     * that would exceed a DNS label are cut and suffixed with a hash of the full name, so they stay
     * unique and stable.
     */
    public String namespace() {
        return namespaceOf(project, cluster);
    }

    /** The namespace of cluster {@code cluster} of {@code project}, as {@link #namespace()}. */
    public static String namespaceOf(String project, String cluster) {
        String full = "cluster-" + project + "-" + cluster;
        if (full.length() <= DNS_LABEL_MAX) {
            return full;
        }
        String prefix = full.substring(0, DNS_LABEL_MAX - HASH_CHARS - 1).replaceAll("-+$", "");
        return prefix + "-" + sha256Hex(full).substring(0, HASH_CHARS);
    }

    /** Three etcd members: controller-manager and scheduler then run more than once and elect a leader. */
    public boolean highlyAvailable() {
        return etcdReplicas > 1;
    }

    /** Image reference of {@code component}; fails loudly because a pod without an image never starts. */
    public String image(String component) {
        String image = images.get(component);
        if (image == null) {
            throw new IllegalArgumentException("no image for control-plane component " + component
                    + " (cluster " + project + "/" + cluster + ")");
        }
        return image;
    }

    private static String sha256Hex(String value) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(value.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is required of every JVM", e);
        }
    }
}
