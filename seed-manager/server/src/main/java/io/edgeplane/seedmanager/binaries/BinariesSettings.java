package io.edgeplane.seedmanager.binaries;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Where the seed manager gets Kubernetes binaries it does not have yet (see fetch-binaries.sh).
 *
 * @param source         {@code auto}: official release downloads where reachable, else a build from
 *                       the Go modules; {@code release}; {@code go}; {@code directory}: only what is
 *                       already in the binaries directory, nothing is downloaded or built
 * @param releaseUrl     base of the Kubernetes release downloads (dl.k8s.io or a mirror of its layout)
 * @param etcdReleaseUrl base of the etcd release downloads
 * @param caFile         CA bundle that the release downloads are verified against instead of the system's
 */
@ConfigurationProperties("edgeplane.binaries")
public record BinariesSettings(String source, String releaseUrl, String etcdReleaseUrl, @Nullable Path caFile) {
    static final List<String> SOURCES = List.of("auto", "release", "go", "directory");
    /** Fetches nothing: the binaries directory is filled by the operator. */
    public static final String DIRECTORY = "directory";

    public BinariesSettings {
        if (!SOURCES.contains(source)) {
            throw new InvalidConfigurationException("EDGEPLANE_BINARIES_SOURCE must be one of " + String.join(", ", SOURCES)
                    + ", not '" + source + "'");
        }
        requireHttps("EDGEPLANE_BINARIES_RELEASE_URL", releaseUrl);
        requireHttps("EDGEPLANE_BINARIES_ETCD_RELEASE_URL", etcdReleaseUrl);
        if (caFile != null && !Files.isReadable(caFile)) {
            throw new InvalidConfigurationException("EDGEPLANE_BINARIES_CA_FILE: cannot read " + caFile);
        }
    }

    /** Release downloads are verified by TLS and by their published checksum, which plain HTTP would let anyone swap. */
    private static void requireHttps(String variable, String url) {
        URI uri;
        try {
            uri = URI.create(url);
        } catch (IllegalArgumentException e) {
            throw new InvalidConfigurationException(variable + " is not a URL: " + url);
        }
        if (!"https".equals(uri.getScheme()) || uri.getHost() == null) {
            throw new InvalidConfigurationException(variable + " must be an https:// URL, not '" + url + "'");
        }
    }
}
