package io.edgeplane.seedmanager.workload.kube;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * Names of a workload's objects in the tenant cluster. Names that become pod host names or label
 * values stay within a DNS label (63 characters): too long, they are cut and end in a stable hash
 * of the full name, so two long names never collide.
 */
public final class WorkloadNames {
    static final int MAX = 63;
    private static final int HASH = 10;

    private WorkloadNames() {
    }

    /** The Deployment (and the prefix of the pods) of {@code workload} on {@code node}. */
    public static String deployment(String workload, String node) {
        return label(workload + "-" + node);
    }

    /** The immutable ConfigMap holding the configuration of one version ({@code specHash}). */
    public static String configMap(String workload, String specHash) {
        return label(workload + "-" + specHash);
    }

    /** The pre-pull pod of one staged version on one node. */
    public static String prePullPod(String workload, String node, String specHash) {
        return label(workload + "-" + node + "-prepull-" + specHash);
    }

    /** {@code name} itself when it fits a DNS label, else its head, a dash and ten hex digits of its SHA-256. */
    static String label(String name) {
        if (name.length() <= MAX) {
            return name;
        }
        String head = name.substring(0, MAX - HASH - 1);
        while (head.endsWith("-") || head.endsWith(".")) {
            head = head.substring(0, head.length() - 1);
        }
        return head + "-" + sha256(name).substring(0, HASH);
    }

    private static String sha256(String text) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
