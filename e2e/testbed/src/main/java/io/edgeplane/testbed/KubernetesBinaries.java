package io.edgeplane.testbed;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * A directory holding etcd, the Kubernetes components and konnectivity at the pinned versions. Filled (once, then
 * cached) by bootstrap-scripts/fetch-binaries.sh; {@code EDGEPLANE_BINARIES_SOURCE=release} downloads
 * official releases instead of building from Go modules, and {@code EDGEPLANE_K8S_BIN_DIR} points
 * at a ready directory of binaries and skips the script entirely.
 */
public record KubernetesBinaries(Path dir, ComponentVersions versions) {
    private static final List<String> REQUIRED = List.of("etcd", "kube-apiserver", "kube-controller-manager",
            "kube-scheduler", "kubelet", "kubectl", "kube-proxy", "konnectivity-server", "konnectivity-agent", "coredns");
    private static volatile KubernetesBinaries cached;

    public Path binary(String name) {
        return dir.resolve(name);
    }

    /** Ensures the binaries exist (building or downloading them on the first run) and returns them. */
    public static synchronized KubernetesBinaries ensure() {
        if (cached != null) {
            return cached;
        }
        ComponentVersions versions = ComponentVersions.pinned();
        String given = System.getenv("EDGEPLANE_K8S_BIN_DIR");
        Path dir = given != null && !given.isBlank() ? Path.of(given) : FetchBinariesScript.run("kubernetes binaries", Map.of());
        for (String name : REQUIRED) {
            if (!Files.isExecutable(dir.resolve(name))) {
                throw new IllegalStateException("the test bed needs " + name + " in " + dir
                        + " (run bootstrap-scripts/fetch-binaries.sh or set EDGEPLANE_K8S_BIN_DIR)");
            }
        }
        cached = new KubernetesBinaries(dir, versions);
        return cached;
    }
}
