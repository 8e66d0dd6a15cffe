package io.edgeplane.seedmanager.machine;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpecBuilder;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ServingCsrCheckTest {
    private static final Set<String> NAMES = Set.of("edge-1");
    private static final Set<String> IPS = Set.of("10.222.0.11");

    @Test
    void approvesTheNodesOwnServingRequest() throws Exception {
        assertThat(ServingCsrCheck.refusal(spec("system:node:edge-1", csr("system:node:edge-1", "edge-1", "10.222.0.11")),
                "edge-1", NAMES, IPS)).isEmpty();
    }

    @Test
    void refusesARequestForAnotherNodesName() throws Exception {
        assertThat(ServingCsrCheck.refusal(spec("system:node:edge-1", csr("system:node:edge-2", "edge-2", "10.222.0.11")),
                "edge-1", NAMES, IPS)).get().asString().contains("instead of CN=system:node:edge-1");
    }

    @Test
    void refusesNamesAndAddressesTheNodeDoesNotHave() throws Exception {
        assertThat(ServingCsrCheck.refusal(spec("system:node:edge-1", csr("system:node:edge-1", "bank.example.com", "10.222.0.11")),
                "edge-1", NAMES, IPS)).get().asString().contains("bank.example.com");
        assertThat(ServingCsrCheck.refusal(spec("system:node:edge-1", csr("system:node:edge-1", "edge-1", "10.96.0.1")),
                "edge-1", NAMES, IPS)).get().asString().contains("10.96.0.1");
    }

    @Test
    void refusesRequestsFromAnyoneButTheNode() throws Exception {
        String request = csr("system:node:edge-1", "edge-1", "10.222.0.11");
        assertThat(ServingCsrCheck.refusal(spec("system:node:edge-2", request), "edge-1", NAMES, IPS)).get().asString()
                .contains("requested by system:node:edge-2");
        CertificateSigningRequestSpec clientUsages = new CertificateSigningRequestSpecBuilder(spec("system:node:edge-1", request))
                .withUsages("digital signature", "client auth").build();
        assertThat(ServingCsrCheck.refusal(clientUsages, "edge-1", NAMES, IPS)).get().asString().contains("usages");
    }

    private static CertificateSigningRequestSpec spec(String user, String request) {
        return new CertificateSigningRequestSpecBuilder().withSignerName(ServingCsrCheck.SIGNER).withUsername(user)
                .withGroups("system:nodes", "system:authenticated").withUsages("digital signature", "server auth")
                .withRequest(request).build();
    }

    private static String csr(String commonName, String dns, String ip) throws Exception {
        return ServingCsrRequests.request(commonName, dns, ip);
    }
}
