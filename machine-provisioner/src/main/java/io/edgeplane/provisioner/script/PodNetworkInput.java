package io.edgeplane.provisioner.script;

/**
 * The relay through which the device's pods reach the pods of the cluster's other devices: the device agent dials
 * it over mutual TLS (the kubelet's client certificate, the relay's certificate signed by the cluster CA for
 * {@code serverName}). Checked by {@link ProvisioningInputValidator} when rendered; it needs the device's pod range
 * and the cluster services' cluster range.
 *
 * @param serverHost the seed's external address as devices reach it: an IP address or a DNS name
 * @param serverPort the relay's port there, 1 to 65535
 * @param serverName the name the device asks the relay for (TLS server name) and checks its certificate against
 */
public record PodNetworkInput(String serverHost, int serverPort, String serverName) {
}
