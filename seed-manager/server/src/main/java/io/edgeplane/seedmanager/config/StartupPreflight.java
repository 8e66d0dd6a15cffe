package io.edgeplane.seedmanager.config;

import io.edgeplane.seedmanager.binaries.BinariesSettings;
import io.edgeplane.seedmanager.cluster.KubernetesVersions;
import io.edgeplane.seedmanager.datacenter.SeedRegistry;
import io.edgeplane.seedmanager.podnetwork.PodNetworkSettings;
import io.edgeplane.seedmanager.reconcile.ReconcileSettings;
import io.micronaut.http.server.HttpServerConfiguration;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Everything the operator hands the seed manager (the Seed file, the settings, the HTTP and pod network ports) is
 * checked before the database is started or reached, so a refused start has nothing to clean up.
 * Constructing this bean is the check: each collaborator refuses bad input in its own constructor.
 */
@Singleton
public class StartupPreflight {
    public StartupPreflight(SeedRegistry seed, KubernetesVersions versions, BinariesSettings binaries, EdgeplaneConfig config,
                            HttpServerConfiguration server, PodNetworkSettings podNetwork,
                            ReconcileSettings reconcile) {
        server.getPort().filter(port -> port > 0)
                .ifPresent(port -> requireFreePort(server.getHost().orElse(null), port, "MICRONAUT_SERVER_PORT"));
        if (podNetwork.enabled() && podNetwork.port() > 0) {
            requireFreePort(podNetwork.bind(), podNetwork.port(), "EDGEPLANE_POD_NETWORK_PORT");
        }
    }

    /** Taken now, it would be taken when the server starts: refuse before the database is started for nothing. */
    private static void requireFreePort(String host, int port, String variable) {
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(host == null ? new InetSocketAddress(port) : new InetSocketAddress(host, port));
        } catch (IOException e) {
            throw new InvalidConfigurationException("cannot listen on port " + port + " (" + variable + "): " + e.getMessage());
        }
    }
}
