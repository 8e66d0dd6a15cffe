package io.edgeplane.e2e;

import io.edgeplane.testbed.device.Device;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.bouncycastle.asn1.x509.GeneralName;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.Base64;

/**
 * A kubelet gone rogue: with its own node credentials it asks for a serving certificate for
 * another node, either as that node (the apiserver's node restriction refuses it) or as itself
 * but naming the other node's name and address (which only Edgeplane's approval can stop).
 */
final class ForgedCsr {
    private ForgedCsr() {
    }

    /**
     * Submits, as the device's node identity, a serving CSR with {@code CN=system:node:<commonNameNode>}
     * and the given names; returns the CSR's name.
     */
    static String submitAs(Device device, String apiserver, String commonNameNode, String dnsName, String ip) throws Exception {
        String pem = Files.readString(deviceFile(device, "/var/lib/kubelet/pki/kubelet-client-current.pem"));
        String certificate = pem.substring(pem.indexOf("-----BEGIN CERTIFICATE-----"), pem.indexOf("-----END CERTIFICATE-----") + 25);
        String key = pem.substring(pem.indexOf("-----BEGIN EC PRIVATE KEY-----"), pem.indexOf("-----END EC PRIVATE KEY-----") + 28);
        String ca = Files.readString(device.hostPath("/etc/kubernetes/pki/ca.crt"));
        Config config = new ConfigBuilder().withMasterUrl(apiserver).withCaCertData(base64(ca))
                .withClientCertData(base64(certificate)).withClientKeyData(base64(key)).withClientKeyAlgo("EC").build();
        String name = "forged-" + dnsName + "-" + System.nanoTime();
        try (KubernetesClient asNode = new KubernetesClientBuilder().withConfig(config).build()) {
            asNode.certificates().v1().certificateSigningRequests().resource(new CertificateSigningRequestBuilder()
                    .withNewMetadata().withName(name).endMetadata()
                    .withNewSpec().withSignerName("kubernetes.io/kubelet-serving").withUsages("digital signature", "server auth")
                    .withRequest(base64(request(commonNameNode, dnsName, ip))).endSpec().build()).create();
        }
        return name;
    }

    /** The kubelet's current-certificate link points at an absolute path inside the device. */
    private static java.nio.file.Path deviceFile(Device device, String path) throws java.io.IOException {
        java.nio.file.Path file = device.hostPath(path);
        if (!Files.isSymbolicLink(file)) {
            return file;
        }
        java.nio.file.Path target = Files.readSymbolicLink(file);
        return target.isAbsolute() ? device.hostPath(target.toString()) : file.resolveSibling(target);
    }

    static boolean isApproved(KubernetesClient admin, String name) {
        CertificateSigningRequest csr = admin.certificates().v1().certificateSigningRequests().withName(name).get();
        return csr.getStatus() != null && csr.getStatus().getConditions() != null
                && csr.getStatus().getConditions().stream().anyMatch(c -> "Approved".equals(c.getType()));
    }

    private static String request(String node, String dnsName, String ip) throws Exception {
        return NodeCsrs.servingRequest(node, new GeneralName(GeneralName.dNSName, dnsName), new GeneralName(GeneralName.iPAddress, ip));
    }

    private static String base64(String text) {
        return Base64.getEncoder().encodeToString(text.getBytes(StandardCharsets.UTF_8));
    }
}
