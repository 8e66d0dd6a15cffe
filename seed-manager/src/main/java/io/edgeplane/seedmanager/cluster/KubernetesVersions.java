package io.edgeplane.seedmanager.cluster;

import io.micronaut.context.annotation.ConfigurationProperties;

import java.util.List;

/**
 * The Kubernetes versions this seed manager can run, and the default for new clusters.
 * Each needs its binaries under {@code binariesDir/<version>/linux-<arch>/} (fetch-binaries.sh).
 */
@ConfigurationProperties("edgeplane.kubernetes")
public record KubernetesVersions(List<String> supported, String defaultVersion, String binariesDir) {

    public boolean isSupported(String version) {
        return supported.contains(version);
    }

    /** Compares vMAJOR.MINOR.PATCH numerically. */
    public static int compare(String a, String b) {
        int[] x = parse(a);
        int[] y = parse(b);
        for (int i = 0; i < 3; i++) {
            if (x[i] != y[i]) {
                return Integer.compare(x[i], y[i]);
            }
        }
        return 0;
    }

    /** How many minor versions {@code to} is ahead of {@code from} (same major). */
    public static int minorsBetween(String from, String to) {
        return parse(to)[1] - parse(from)[1];
    }

    private static int[] parse(String version) {
        String[] parts = version.replaceFirst("^v", "").split("[.-]");
        return new int[] {Integer.parseInt(parts[0]), Integer.parseInt(parts[1]), Integer.parseInt(parts[2])};
    }
}
