package io.edgeplane.e2e.fleet;

import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.RequestConfigBuilder;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.ExtensionsGenerator;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.jcajce.JcaPEMWriter;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.bouncycastle.pkcs.jcajce.JcaPKCS10CertificationRequestBuilder;

import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.spec.ECGenParameterSpec;
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
                    .withRequest(Base64.getEncoder().encodeToString(pem(node).getBytes(StandardCharsets.UTF_8))).endSpec().build()).create();
        } catch (KubernetesClientException e) {
            if (e.getCode() != 409) {   // asked before (a device registered again keeps its request)
                throw e;
            }
        }
    }

    private static String pem(String node) throws Exception {
        KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
        generator.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair keys = generator.generateKeyPair();
        ExtensionsGenerator extensions = new ExtensionsGenerator();
        extensions.addExtension(Extension.subjectAlternativeName, false,
                new GeneralNames(new GeneralName(GeneralName.dNSName, node)));
        var request = new JcaPKCS10CertificationRequestBuilder(new X500Name("O=system:nodes,CN=system:node:" + node), keys.getPublic())
                .addAttribute(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest, extensions.generate())
                .build(new JcaContentSignerBuilder("SHA256withECDSA").build(keys.getPrivate()));
        StringWriter pem = new StringWriter();
        try (JcaPEMWriter writer = new JcaPEMWriter(pem)) {
            writer.writeObject(request);
        }
        return pem.toString();
    }
}
