package io.edgeplane.provisioner.script;

import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Everything a device's provisioning script is rendered from. Checked by
 * {@link ProvisioningInputValidator} when rendered.
 *
 * @param nodeName          the MachineDeployment's name, which becomes the node name (DNS-1123 subdomain)
 * @param os                ubuntu-20.04, ubuntu-22.04, ubuntu-24.04 or debian-12
 * @param arch              amd64 or arm64
 * @param labels            node labels; the kubelet sets them when the node registers
 * @param taints            taints the node registers with
 * @param apiserverUrl      the cluster's apiserver as devices reach it, {@code https://host:port}
 * @param caCertificatePem  the cluster CA (one or more PEM certificates) that verifies the apiserver
 * @param bootstrapToken    {@code <6>.<16>}, bound to this device; the only credential in the script
 * @param kubernetesVersion e.g. {@code v1.36.3}
 * @param kubeletUrl        where the device downloads the kubelet from the seed's artifact mirror (https)
 * @param kubeletSha256     the kubelet's SHA-256, lowercase hex
 * @param agentUrl          where the device downloads the device agent {@code edgeplane-device} (https)
 * @param agentSha256       the device agent's SHA-256, lowercase hex
 * @param mirrorCaPem       the CA (one or more PEM certificates) that verifies the artifact mirror's HTTPS: every
 *                          download of the script pins it (the SHA-256s vouch for content, the CA keeps the
 *                          transport private and the mirror authentic)
 * @param tunnel            the cluster's tunnel, which the script installs the tunnel agent for; null for a
 *                          cluster without one (the script then removes a tunnel agent installed before)
 * @param podCidr           the pod range the seed allocated to this device (IPv4, prefix 16 to 28, e.g.
 *                          {@code 10.244.3.0/24}): the bridge network's subnet; null keeps the device's own
 *                          ({@code EDGEPLANE_POD_CIDR}, default {@code 10.88.0.0/16})
 * @param services          kube-proxy and the node-local CoreDNS the device runs; null for a cluster without cluster
 *                          services (the script then removes those installed before, and pods get no cluster DNS)
 * @param podNetwork        the cluster's pod network relay, which the device agent links the device's pods to the other
 *                          devices' pods through; null for none (the script then removes the link set up before)
 * @param node              the datacenter's node settings
 */
public record ProvisioningInput(String nodeName, String os, String arch, Map<String, String> labels,
                                List<NodeTaint> taints, String apiserverUrl, String caCertificatePem,
                                String bootstrapToken, String kubernetesVersion, String kubeletUrl,
                                String kubeletSha256, String agentUrl, String agentSha256, String mirrorCaPem, TunnelInput tunnel,
                                String podCidr, ClusterServicesInput services, PodNetworkInput podNetwork,
                                NodeSettings node) {
    public ProvisioningInput {
        // Sorted, so that the same labels always render the same script; nulls are kept for the validator to name.
        Map<String, String> sorted = new TreeMap<>(Comparator.nullsFirst(Comparator.<String>naturalOrder()));
        if (labels != null) {
            sorted.putAll(labels);
        }
        labels = Collections.unmodifiableMap(sorted);
        taints = taints == null ? List.of() : Collections.unmodifiableList(new ArrayList<>(taints));
        node = node == null ? NodeSettings.defaults() : node;
    }

    /** Never prints the bootstrap token. */
    @Override
    public String toString() {
        return "ProvisioningInput[nodeName=" + nodeName + ", os=" + os + ", arch=" + arch + ", labels=" + labels
                + ", taints=" + taints + ", apiserverUrl=" + apiserverUrl + ", kubernetesVersion=" + kubernetesVersion
                + ", kubeletUrl=" + kubeletUrl + ", agentUrl=" + agentUrl + ", tunnel=" + tunnel + ", podCidr=" + podCidr
                + ", services=" + services + ", podNetwork=" + podNetwork + ", node=" + node + "]";
    }
}
