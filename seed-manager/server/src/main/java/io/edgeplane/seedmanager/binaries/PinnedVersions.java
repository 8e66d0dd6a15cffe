package io.edgeplane.seedmanager.binaries;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Properties;

/**
 * The versions pinned in bootstrap-scripts/versions.env (packaged in the jar): the one place the
 * Kubernetes version is set, shared with fetch-binaries.sh and the test bed.
 */
public final class PinnedVersions {
    private static final String RESOURCE = "edgeplane/bootstrap-scripts/versions.env";

    private PinnedVersions() {
    }

    public static String kubernetes() {
        return read("KUBERNETES_VERSION");
    }

    /** The CoreDNS every device runs as its node-local DNS. */
    public static String coredns() {
        return read("COREDNS_VERSION");
    }

    private static String read(String key) {
        Properties env = new Properties();
        try (InputStream in = PinnedVersions.class.getClassLoader().getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is not in the seed manager's jar");
            }
            env.load(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String value = env.getProperty(key);
        if (value == null || value.isBlank()) {
            throw new IllegalStateException(RESOURCE + " pins no " + key);
        }
        return value.strip();
    }
}
