package io.edgeplane.seedmanager.binaries;

import java.util.List;
import java.util.Locale;

/**
 * One Kubernetes version for one architecture, as the binaries directory and the artifact mirror lay
 * it out ({@code <version>/linux-<arch>/}). On the seed's own architecture it holds everything the
 * seed runs (the control plane, kubectl) besides what devices download; on the other architecture
 * only what devices download.
 */
public record Platform(String version, String arch) {
    /** Every component fetch-binaries.sh knows, in its order. */
    public static final List<String> ALL_COMPONENTS = List.of("etcd", "kube-apiserver", "kube-controller-manager",
            "kube-scheduler", "kubelet", "kubectl", "kube-proxy", "konnectivity-server", "konnectivity-agent", "coredns");
    /** What a device's provisioning script downloads from the artifact mirror. */
    public static final List<String> DEVICE_COMPONENTS = List.of("kubelet", "konnectivity-agent", "kube-proxy", "coredns");
    public static final List<String> ARCHITECTURES = List.of("amd64", "arm64");

    public Platform {
        if (!ARCHITECTURES.contains(arch)) {
            throw new IllegalArgumentException("architecture must be one of " + ARCHITECTURES + ", not " + arch);
        }
    }

    /** The seed's own platform for {@code version}. */
    public static Platform ofSeed(String version) {
        return new Platform(version, hostArch());
    }

    /** {@code linux-amd64}: the directory and mirror path segment. */
    public String name() {
        return "linux-" + arch;
    }

    public boolean isSeedArch() {
        return arch.equals(hostArch());
    }

    /** What this platform is prepared with: everything on the seed's architecture, the device side elsewhere. */
    public List<String> components() {
        return isSeedArch() ? ALL_COMPONENTS : DEVICE_COMPONENTS;
    }

    @Override
    public String toString() {
        return version + "/" + name();
    }

    /** This machine's architecture in Kubernetes' spelling. */
    public static String hostArch() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return arch.equals("aarch64") || arch.equals("arm64") ? "arm64" : "amd64";
    }
}
