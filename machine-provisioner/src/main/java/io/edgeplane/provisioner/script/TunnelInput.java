package io.edgeplane.provisioner.script;

/**
 * The device's end of its cluster's tunnel (konnectivity): the agent the script installs, and the
 * tunnel server it dials out to. Checked by {@link ProvisioningInputValidator} when rendered.
 *
 * @param agentUrl    where the device downloads {@code konnectivity-agent} (http or https; the SHA-256 vouches for it)
 * @param agentSha256 the tunnel agent's SHA-256, lowercase hex
 * @param serverHost  the seed's external address as devices reach it: an IP address or a DNS name, which the
 *                    tunnel server's certificate (signed by the cluster CA) must name
 * @param serverPort  the cluster's tunnel port there, 1 to 65535
 */
public record TunnelInput(String agentUrl, String agentSha256, String serverHost, int serverPort) {
}
