package io.edgeplane.seedmanager.config;

import io.edgeplane.seedmanager.binaries.BinariesSettings;
import io.edgeplane.seedmanager.cluster.KubernetesVersions;
import io.edgeplane.seedmanager.datacenter.SeedRegistry;
import io.edgeplane.seedmanager.podnetwork.PodNetworkSettings;
import io.edgeplane.seedmanager.reconcile.ReconcileSettings;
import io.edgeplane.seedmanager.tls.HttpsSettings;
import io.edgeplane.seedmanager.tls.ServingCertificate;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.server.HttpServerConfiguration;
import jakarta.inject.Singleton;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;

/**
 * Everything the operator hands the seed manager (the Seed file, the settings, the HTTP, HTTPS and pod network ports,
 * the HTTPS certificate) is checked before the database is started or reached, so a refused start has nothing to clean up.
 * Constructing this bean is the check: each collaborator refuses bad input in its own constructor.
 */
@Singleton
public class StartupPreflight {
    private static final String LOOPBACK = "127.0.0.1";

    public StartupPreflight(SeedRegistry seed, KubernetesVersions versions, BinariesSettings binaries, EdgeplaneConfig config,
                            HttpServerConfiguration server, PodNetworkSettings podNetwork, HttpsSettings https,
                            ServingCertificate certificate, ReconcileSettings reconcile,
                            @Value("${micronaut.server.ssl.enabled:false}") boolean sslEnabled) {
        // Micronaut 4.10 serves a listener with ssl: true in plain text (after one warning) when this is off: fail closed.
        if (!sslEnabled) {
            throw new InvalidConfigurationException("MICRONAUT_SERVER_SSL_ENABLED must stay true: the HTTPS listener would serve plain HTTP");
        }
        // The two listeners of application.yml: plain HTTP on loopback, HTTPS on the external address.
        server.getPort().filter(port -> port > 0)
                .ifPresent(port -> requireFreePort(LOOPBACK, port, "MICRONAUT_SERVER_PORT"));
        if (server.getPort().orElse(-1) == https.port()) {
            throw new InvalidConfigurationException("EDGEPLANE_HTTPS_PORT and MICRONAUT_SERVER_PORT must differ, both are " + https.port());
        }
        requireFreePort(https.bind(), https.port(), "EDGEPLANE_HTTPS_PORT");
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
