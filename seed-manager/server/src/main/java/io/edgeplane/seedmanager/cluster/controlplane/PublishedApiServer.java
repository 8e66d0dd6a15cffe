package io.edgeplane.seedmanager.cluster.controlplane;

import java.net.InetAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Optional;

/**
 * The endpoint of the tenant's {@code kubernetes} Service as pods on devices reach the apiserver:
 * an IP address (Endpoints cannot hold a name) and the port devices dial there.
 */
public record PublishedApiServer(String ip, int port) {
    public PublishedApiServer {
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port out of range: " + port);
        }
        if (!isIpLiteral(ip)) {
            throw new IllegalArgumentException("the kubernetes Service endpoint must be an IP address, not " + ip);
        }
    }

    /** From the apiserver URL devices use; empty when its host is a DNS name. */
    public static Optional<PublishedApiServer> of(String url) {
        URI uri = URI.create(url);
        String host = uri.getHost() == null ? null : uri.getHost().replaceAll("^\\[|]$", "");
        return host != null && isIpLiteral(host) && uri.getPort() > 0 ? Optional.of(new PublishedApiServer(host, uri.getPort()))
                : Optional.empty();
    }

    private static boolean isIpLiteral(String host) {
        if (host == null || !host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
            return false;
        }
        try {
            InetAddress.getByName(host);   // a literal: no lookup happens
            return true;
        } catch (UnknownHostException e) {
            return false;
        }
    }
}
