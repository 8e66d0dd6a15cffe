package io.edgeplane.provisioner.script;

/**
 * Where a device's tunnel agent comes from and what it dials.
 *
 * @param agentUrl    where the device downloads {@code konnectivity-agent} (http or https; the SHA-256 vouches for it)
 * @param agentSha256 the tunnel agent's SHA-256, lowercase hex
 * @param serverHost  the seed's external address the agent dials
 * @param serverPort  the port of the cluster's tunnel server there
 */
public record TunnelInput(String agentUrl, String agentSha256, String serverHost, int serverPort) {
}
