package io.edgeplane.testbed;

import java.util.List;
import java.util.Map;

/**
 * Where a node's containerd and kubelet run: the host itself (the seed node) or a device sandbox.
 * Paths are as the node sees them.
 */
public interface NodeHost {
    /** The Kubernetes node name. */
    String nodeName();

    /** The address the kubelet registers and serves on. */
    String address();

    /** Where this node keeps config and state. */
    NodeLayout layout();

    void writeFile(String path, String content);

    /** Makes a binary from the host's binaries directory runnable on the node; returns its path there. */
    String install(java.nio.file.Path binary);

    ManagedProcess start(String name, List<String> command, Map<String, String> env);

    /** Stops a daemon started by {@link #start}, giving it SIGTERM first. */
    void stop(ManagedProcess process);

    /** Where a path of the node's file system is seen from the host (the test JVM). */
    default java.nio.file.Path hostPath(String nodePath) {
        return java.nio.file.Path.of(nodePath);
    }

    /** Unmounts whatever containerd and the kubelet left mounted (rootfs, shm, volumes). */
    void unmountLeftovers();

    /**
     * Whether the node shares the host's network namespace (and /run): its kubelet and containerd must
     * then keep their network state off the host's iptables and /run/netns, so that closing leaves the host as found.
     */
    default boolean sharesHostNetwork() {
        return false;
    }
}
