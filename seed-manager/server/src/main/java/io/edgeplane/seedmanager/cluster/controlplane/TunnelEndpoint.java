package io.edgeplane.seedmanager.cluster.controlplane;

/** Where devices' tunnel agents dial: a host (IP or DNS name) and the tunnel server's agent port. */
public record TunnelEndpoint(String host, int port) {
    public TunnelEndpoint {
        if (host == null || host.isBlank()) {
            throw new IllegalArgumentException("tunnel host must not be blank");
        }
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("tunnel port out of range: " + port);
        }
    }
}
