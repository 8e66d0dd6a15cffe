package io.edgeplane.provisioner.script;

/**
 * The cluster services every device of the cluster runs as static pods of its kubelet: kube-proxy and a
 * node-local CoreDNS, whose images the device builds from these binaries. Checked by
 * {@link ProvisioningInputValidator} when rendered.
 *
 * @param kubeProxyUrl    where the device downloads {@code kube-proxy} (http or https; the SHA-256 vouches for it);
 *                        its image is tagged with the input's Kubernetes version
 * @param kubeProxySha256 kube-proxy's SHA-256, lowercase hex
 * @param corednsUrl      where the device downloads {@code coredns} (http or https; the SHA-256 vouches for it)
 * @param corednsSha256   CoreDNS's SHA-256, lowercase hex
 * @param corednsVersion  CoreDNS's version, e.g. {@code v1.14.7} or {@code 1.14.7}: the tag of its image
 * @param clusterCidr     the cluster's pod network, holding every device's pod range (IPv4, e.g.
 *                        {@code 10.244.0.0/16}): kube-proxy's {@code --cluster-cidr}
 */
public record ClusterServicesInput(String kubeProxyUrl, String kubeProxySha256, String corednsUrl, String corednsSha256,
                                   String corednsVersion, String clusterCidr) {
}
