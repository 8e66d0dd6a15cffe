package io.edgeplane.seedmanager.podnetwork;

/**
 * Where a cluster's devices dial the pod network relay.
 *
 * @param host       the seed's external address (an IPv6 address without brackets)
 * @param port       the port the relay listens on
 * @param serverName the TLS server name (SNI) that selects the cluster, {@link PodNetworkName#of}
 */
public record PodNetworkEndpoint(String host, int port, String serverName) {
}
