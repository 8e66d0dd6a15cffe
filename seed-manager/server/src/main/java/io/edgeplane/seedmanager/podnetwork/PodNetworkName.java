package io.edgeplane.seedmanager.podnetwork;

import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The TLS server name (SNI) a device dials the relay with, {@code <clusterId>.pod-network.edgeplane.invalid}:
 * one listener serves every cluster, and the name says whose CA signs the serving certificate and
 * vouches for the client. {@code .invalid} can never resolve, so the name is never mistaken for a host.
 */
public final class PodNetworkName {
    static final String SUFFIX = ".pod-network.edgeplane.invalid";
    // Cluster ids are "c" + 10 of [a-z0-9] (ClusterService); any DNS label is taken, so that the name never
    // decides which ids exist: the database does.
    private static final Pattern NAME = Pattern.compile("^([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)" + Pattern.quote(SUFFIX) + "$");

    private PodNetworkName() {
    }

    /** The server name of the cluster with id {@code clusterId}. */
    public static String of(String clusterId) {
        String name = clusterId + SUFFIX;
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("a cluster id in a server name must be a DNS label of [a-z0-9-], got '" + clusterId + "'");
        }
        return name;
    }

    /** The cluster id a server name names; empty when it names none (no SNI, another host, not a DNS label). */
    public static Optional<String> clusterId(String serverName) {
        if (serverName == null) {
            return Optional.empty();
        }
        Matcher m = NAME.matcher(serverName);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }
}
