package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.binaries.PinnedVersions;
import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.util.List;
import java.util.regex.Pattern;

/**
 * The Kubernetes versions this seed manager can run, and the default for new clusters; both default
 * to the version pinned in bootstrap-scripts/versions.env. Each version's binaries live under
 * {@code binariesDir/<version>/linux-<arch>/}, prepared on first need.
 */
@ConfigurationProperties("edgeplane.kubernetes")
public record KubernetesVersions(@Nullable List<String> supported, @Nullable String defaultVersion, String binariesDir) {
    private static final Pattern VERSION = Pattern.compile("v[0-9]+\\.[0-9]+\\.[0-9]+");

    public KubernetesVersions {
        supported = supported == null || supported.isEmpty() ? List.of(PinnedVersions.kubernetes()) : List.copyOf(supported);
        for (String version : supported) {
            if (!VERSION.matcher(version).matches()) {
                throw new InvalidConfigurationException("EDGEPLANE_KUBERNETES_SUPPORTED: '" + version
                        + "' is not a Kubernetes version like v1.36.3");
            }
        }
        if (defaultVersion == null || defaultVersion.isBlank()) {
            String pinned = PinnedVersions.kubernetes();
            defaultVersion = supported.contains(pinned) ? pinned : supported.get(supported.size() - 1);
        } else if (!supported.contains(defaultVersion)) {
            throw new InvalidConfigurationException("EDGEPLANE_KUBERNETES_DEFAULT_VERSION=" + defaultVersion
                    + " is not among the supported versions " + String.join(", ", supported) + " (EDGEPLANE_KUBERNETES_SUPPORTED)");
        }
    }

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
