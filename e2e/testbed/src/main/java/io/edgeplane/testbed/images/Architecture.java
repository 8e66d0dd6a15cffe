package io.edgeplane.testbed.images;

import java.util.Locale;

/** CPU architectures the test images are built for, named as Go and OCI name them. */
public enum Architecture {
    AMD64("amd64"),
    ARM64("arm64");

    private final String goarch;

    Architecture(String goarch) {
        this.goarch = goarch;
    }

    /** The {@code GOARCH} value, which is also the OCI platform architecture. */
    public String goarch() {
        return goarch;
    }

    /** The architecture of this machine, so that images built here run here. */
    public static Architecture host() {
        String arch = System.getProperty("os.arch").toLowerCase(Locale.ROOT);
        return switch (arch) {
            case "amd64", "x86_64" -> AMD64;
            case "aarch64", "arm64" -> ARM64;
            default -> throw new IllegalStateException("test images support amd64 and arm64 hosts, not " + arch);
        };
    }
}
