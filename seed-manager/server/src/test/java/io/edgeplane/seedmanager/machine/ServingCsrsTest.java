package io.edgeplane.seedmanager.machine;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** A device's serving-certificate state, from its serving CSRs as the apiserver lists them. */
class ServingCsrsTest {
    private static final Node NODE = new NodeBuilder().withNewMetadata().withName("edge-1").endMetadata().withNewStatus()
            .addNewAddress().withType("InternalIP").withAddress("10.222.0.11").endAddress()
            .addNewAddress().withType("Hostname").withAddress("edge-1.local").endAddress().endStatus().build();

    @Test
    void theNodesNamesAndAddresses() {
        assertThat(ServingCsrs.names(NODE)).containsExactly("edge-1", "edge-1.local");
        assertThat(ServingCsrs.ips(NODE)).containsExactly("10.222.0.11");
    }

    @Test
    void noneLeavesTheStateAsItWas() {
        assertThat(ServingCsrs.state(List.of(), NODE, "Issued")).isEqualTo("Issued");
        assertThat(ServingCsrs.state(List.of(), NODE, null)).isNull();
    }

    @Test
    void ownPendingIsPendingAndSignedIsIssued() throws Exception {
        CertificateSigningRequest own = csr("csr-a", "system:node:edge-1", "edge-1");
        assertThat(ServingCsrs.state(List.of(own), NODE, null)).isEqualTo("Pending");
        CertificateSigningRequest signed = new CertificateSigningRequestBuilder(own).withNewStatus().addNewCondition().withType("Approved")
                .withStatus("True").endCondition().withCertificate("LS0tLS1CRUdJTg==").endStatus().build();
        assertThat(ServingCsrs.state(List.of(signed), NODE, null)).isEqualTo("Issued");
        assertThat(ServingCsrs.pending(signed)).isFalse();
    }

    @Test
    void aForgedOneListedLastIsShownRefusedWithItsNameAndWhy() throws Exception {
        CertificateSigningRequest signed = new CertificateSigningRequestBuilder(csr("csr-a", "system:node:edge-1", "edge-1")).withNewStatus()
                .addNewCondition().withType("Approved").withStatus("True").endCondition().withCertificate("LS0tLS1CRUdJTg==").endStatus().build();
        CertificateSigningRequest forged = csr("forged-edge-2", "system:node:edge-1", "edge-2");
        assertThat(ServingCsrs.state(List.of(signed, forged), NODE, null))
                .startsWith("Refused forged-edge-2: names [edge-2] do not belong to node edge-1");
    }

    private static CertificateSigningRequest csr(String name, String commonName, String dns) throws Exception {
        return new CertificateSigningRequestBuilder().withNewMetadata().withName(name).endMetadata().withNewSpec()
                .withSignerName(ServingCsrCheck.SIGNER).withUsername("system:node:edge-1").withGroups("system:nodes", "system:authenticated")
                .withUsages("digital signature", "server auth").withRequest(ServingCsrRequests.request(commonName, dns, "10.222.0.11"))
                .endSpec().build();
    }
}
