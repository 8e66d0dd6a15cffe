package io.edgeplane.testbed;

/**
 * Where a node keeps its files, as the node sees them. Devices use the standard Linux paths; the
 * seed node uses short paths in its run directory (unix socket paths are limited to 107 bytes).
 */
public record NodeLayout(String etc, String containerdRoot, String containerdState, String socket,
                         String kubeletRoot, String cniData) {

    /** The paths a real device uses. */
    public static NodeLayout standard() {
        return under("", "/etc/edgeplane-node");
    }

    /** Everything under {@code root} (no trailing slash). */
    public static NodeLayout under(String root, String etc) {
        return new NodeLayout(etc + "/", root + "/var/lib/containerd", root + "/run/containerd",
                root + "/run/containerd/containerd.sock", root + "/var/lib/kubelet", root + "/var/lib/cni");
    }
}
