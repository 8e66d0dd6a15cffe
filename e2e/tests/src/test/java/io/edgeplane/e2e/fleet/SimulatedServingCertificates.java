package io.edgeplane.e2e.fleet;

import io.edgeplane.e2e.NodeCsrs;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import org.bouncycastle.asn1.x509.GeneralName;

import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * What a simulated device's kubelet does after its TLS bootstrap: it asks for its serving certificate, as its node
 * (the admin client impersonates it), naming only its node name. The seed manager approves it as a real one, and the
 * device's onboarding check needs it issued. The key is thrown away: nothing serves with it.
 */
final class SimulatedServingCertificates {
    private SimulatedServingCertificates() {
    }

    static void request(KubernetesClient admin, String node) throws Exception {
        KubernetesClient asNode = admin.newClient(new RequestConfigBuilder().withImpersonateUsername("system:node:" + node)
                .withImpersonateGroups("system:nodes", "system:authenticated").build()).adapt(KubernetesClient.class);
        try {
            asNode.certificates().v1().certificateSigningRequests().resource(new CertificateSigningRequestBuilder()
                    .withNewMetadata().withName("csr-serving-" + node).endMetadata()
                    .withNewSpec().withSignerName("kubernetes.io/kubelet-serving").withUsages("digital signature", "server auth")
                    .withRequest(Base64.getEncoder().encodeToString(
                            NodeCsrs.servingRequest(node, new GeneralName(GeneralName.dNSName, node)).getBytes(StandardCharsets.UTF_8))).endSpec().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {   // asked before (a device registered again keeps its request)
                throw e;
            }
        }
    }
}
