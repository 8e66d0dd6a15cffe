package io.edgeplane.testbed;

import java.util.List;
import java.util.Map;

/**
 * Where a node's containerd and kubelet run: a machine of the test bed (a device sandbox, also for
 * the seed cluster's node). Paths are as the node sees them.
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
     * The processes running on this machine. Every device's containerd listens on the same path inside the device,
     * so a process's command line alone does not tell whose shim it is.
     */
    java.util.Set<Long> processIds();
}
