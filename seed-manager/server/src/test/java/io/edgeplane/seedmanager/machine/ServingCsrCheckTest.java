package io.edgeplane.seedmanager.machine;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpecBuilder;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;
import org.junit.jupiter.api.Test;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
import java.util.Base64;
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
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false, new GeneralNames(new GeneralName[] {
                new GeneralName(GeneralName.dNSName, dns), new GeneralName(GeneralName.iPAddress, ip)}));
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=system:nodes,CN=" + commonName), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(request);
        }
        return Base64.getEncoder().encodeToString(pem.toString().getBytes(StandardCharsets.US_ASCII));
    }

}
