package io.edgeplane.provisioner.script;

import java.util.List;
import java.util.Map;

/**
 * The scripts a device runs as root, rendered from bootstrap-scripts' {@code provision.sh} and
 * {@code deprovision.sh}: one self-contained bash file each, the input in a delimited block of
 * single-quoted values at the top. Pure functions of their input (no I/O besides the classpath).
 */
public final class ProvisioningScripts {
    private ProvisioningScripts() {
    }

    /**
     * The provisioning script for one device.
     *
     * @throws InvalidProvisioningInputException naming every invalid field
     */
    public static String provision(ProvisioningInput input) {
        ProvisioningInputValidator.require(input);
        NodeSettings node = input.node();
        TunnelInput tunnel = input.tunnel();
        ClusterServicesInput services = input.services();
        PodNetworkInput podNetwork = input.podNetwork();
        ShellValues values = new ShellValues("Node " + input.nodeName() + " of the cluster at " + apiserver(input)
                + " (Kubernetes " + input.kubernetesVersion() + ", " + input.os() + " " + input.arch() + ")")
                .value("EP_NODE_NAME", input.nodeName())
                .value("EP_OS", input.os())
                .value("EP_ARCH", input.arch())
                .array("EP_NODE_LABELS", labels(input.labels()))
                .array("EP_TAINTS", input.taints().stream().map(NodeTaint::toString).toList())
                .value("EP_APISERVER_URL", apiserver(input))
                .value("EP_CA_CERT", input.caCertificatePem().replace("\r\n", "\n").strip())
                .value("EP_BOOTSTRAP_TOKEN", input.bootstrapToken())
                .value("EP_KUBERNETES_VERSION", input.kubernetesVersion())
                .value("EP_KUBELET_URL", input.kubeletUrl())
                .value("EP_KUBELET_SHA256", input.kubeletSha256())
                .value("EP_AGENT_URL", input.agentUrl())
                .value("EP_AGENT_SHA256", input.agentSha256())
                .value("EP_MIRROR_CA_CERT", input.mirrorCaPem().replace("\r\n", "\n").strip())
                .value("EP_TUNNEL_AGENT_URL", tunnel == null ? null : tunnel.agentUrl())
                .value("EP_TUNNEL_AGENT_SHA256", tunnel == null ? null : tunnel.agentSha256())
                .value("EP_TUNNEL_SERVER_HOST", tunnel == null ? null : tunnel.serverHost())
                .value("EP_TUNNEL_SERVER_PORT", tunnel == null ? null : Integer.toString(tunnel.serverPort()))
                .value("EP_POD_CIDR", input.podCidr())
                .value("EP_KUBE_PROXY_URL", services == null ? null : services.kubeProxyUrl())
                .value("EP_KUBE_PROXY_SHA256", services == null ? null : services.kubeProxySha256())
                .value("EP_COREDNS_URL", services == null ? null : services.corednsUrl())
                .value("EP_COREDNS_SHA256", services == null ? null : services.corednsSha256())
                .value("EP_COREDNS_VERSION", services == null ? null : services.corednsVersion())
                .value("EP_CLUSTER_CIDR", services == null ? null : services.clusterCidr())
                .value("EP_POD_NETWORK_HOST", podNetwork == null ? null : podNetwork.serverHost())
                .value("EP_POD_NETWORK_PORT", podNetwork == null ? null : Integer.toString(podNetwork.serverPort()))
                .value("EP_POD_NETWORK_NAME", podNetwork == null ? null : podNetwork.serverName())
                .value("EP_HTTP_PROXY", node.httpProxy())
                .array("EP_NO_PROXY", node.noProxy())
                .array("EP_REGISTRY_MIRRORS", node.registryMirrors())
                .array("EP_INSECURE_REGISTRIES", node.insecureRegistries())
                .value("EP_PAUSE_IMAGE", node.pauseImage());
        return ScriptTemplate.load("provision.sh").render(values);
    }

    /**
     * The deprovisioning script: stops and removes what {@link #provision} installed (containerd
     * stays), refusing to run on a device provisioned as another node.
     *
     * @throws InvalidProvisioningInputException if the node name is not a DNS-1123 subdomain
     */
    public static String deprovision(String nodeName) {
        KubernetesNames.nodeNameProblem(nodeName).ifPresent(problem -> {
            throw new InvalidProvisioningInputException(List.of(new InvalidField("nodeName", problem)));
        });
        ShellValues values = new ShellValues("Node " + nodeName).value("EP_NODE_NAME", nodeName);
        return ScriptTemplate.load("deprovision.sh").render(values);
    }

    private static String apiserver(ProvisioningInput input) {
        String url = input.apiserverUrl();
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static List<String> labels(Map<String, String> labels) {
        return labels.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).toList();
    }
}
