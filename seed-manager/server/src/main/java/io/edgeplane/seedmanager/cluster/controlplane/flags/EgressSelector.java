package io.edgeplane.seedmanager.cluster.controlplane.flags;

/**
 * The apiserver's egress selector configuration: traffic to the cluster (kubelets on devices, pods
 * and services there) goes through the tunnel server on a Unix socket beside the apiserver; traffic
 * to etcd and to the control plane stays direct.
 */
public final class EgressSelector {
    private EgressSelector() {
    }

    public static String yaml(String tunnelSocket) {
        if (tunnelSocket == null || tunnelSocket.isBlank() || tunnelSocket.contains("\n") || tunnelSocket.contains("\"")) {
            throw new IllegalArgumentException("tunnel socket path must be a plain path, got: " + tunnelSocket);
        }
        return """
                apiVersion: apiserver.k8s.io/v1beta1
                kind: EgressSelectorConfiguration
                egressSelections:
                - name: cluster
                  connection:
                    proxyProtocol: GRPC
                    transport:
                      uds:
                        udsName: "%s"
                """.formatted(tunnelSocket);
    }
}
