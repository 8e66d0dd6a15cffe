package io.edgeplane.seedmanager.cluster.controlplane.flags;

import java.util.List;

/**
 * konnectivity-server's command line: the apiserver's side on a Unix socket, the devices' side on
 * the agent port over TLS with a certificate of the cluster CA (which devices already trust).
 * Agents prove who they are with a ServiceAccount token that the server checks with a
 * TokenReview; each is chosen only for the node name it announces (destHost), never as a fallback
 * for another device's traffic.
 */
public final class KonnectivityServerFlags {
    /** The ServiceAccount every device's tunnel token is issued for. */
    public static final String AGENT_NAMESPACE = "kube-system";
    public static final String AGENT_SERVICE_ACCOUNT = "konnectivity-agent";
    /** The audience of tunnel tokens: no other server accepts them, and this one accepts no other token. */
    public static final String AUDIENCE = "system:konnectivity-server";
    /** The user the server's TokenReview client certificate names. */
    public static final String USER = "system:konnectivity-server";

    private KonnectivityServerFlags() {
    }

    /**
     * @param serverId          unique per cluster (the cluster id)
     * @param socket            the Unix socket the apiserver dials (egress selector)
     * @param agentBindAddress  where devices connect (the seed's external address, or all addresses)
     * @param ports             agent, admin and health ports (admin and health on loopback)
     * @param certFile          serving certificate for the agent port, signed by the cluster CA
     * @param keyFile           its key
     * @param kubeconfig        the TokenReview client's kubeconfig
     */
    public static List<String> build(String serverId, String socket, String agentBindAddress, Ports ports,
                                     String certFile, String keyFile, String kubeconfig) {
        return build(serverId, socket, agentBindAddress, "127.0.0.1", ports, certFile, keyFile, kubeconfig);
    }

    /** As above, with health checks answered on {@code healthBindAddress} (a pod's kubelet probes its pod IP). */
    public static List<String> build(String serverId, String socket, String agentBindAddress, String healthBindAddress, Ports ports,
                                     String certFile, String keyFile, String kubeconfig) {
        return new FlagSet()
                .set("mode", "grpc")
                .set("uds-name", socket)
                .set("delete-existing-uds-file", true)
                .set("server-port", 0)
                .set("server-id", serverId)
                .set("server-count", 1)
                .set("agent-bind-address", agentBindAddress)
                .set("agent-port", ports.agent())
                .set("admin-bind-address", "127.0.0.1")
                .set("admin-port", ports.admin())
                .set("health-bind-address", healthBindAddress)
                .set("health-port", ports.health())
                .set("cluster-cert", certFile)
                .set("cluster-key", keyFile)
                .set("proxy-strategies", "destHost")
                .set("agent-namespace", AGENT_NAMESPACE)
                .set("agent-service-account", AGENT_SERVICE_ACCOUNT)
                .set("authentication-audience", AUDIENCE)
                .set("kubeconfig", kubeconfig)
                // Dead links are noticed within a minute, so a device that comes back is not shadowed by its old stream.
                .set("keepalive-time", "30s")
                .set("frontend-keepalive-time", "30s")
                .render();
    }

    public record Ports(int agent, int admin, int health) {
    }
}
