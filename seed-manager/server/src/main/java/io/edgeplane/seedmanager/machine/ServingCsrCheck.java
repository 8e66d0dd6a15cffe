package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.tenant.TenantKinds;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestSpec;
import org.bouncycastle.asn1.pkcs.PKCSObjectIdentifiers;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.Extensions;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.pkcs.PKCS10CertificationRequest;

import java.io.IOException;
import java.io.StringReader;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Whether a kubelet serving CSR may be approved for one device: it must come from that device's
 * node identity, ask for that identity, and name only the node's own names and addresses. Anything
 * else stays unapproved, and the reason says why.
 */
final class ServingCsrCheck {
    static final String SIGNER = TenantKinds.KUBELET_SERVING;
    private static final Set<String> USAGES = Set.of("digital signature", "key encipherment", "server auth");

    private ServingCsrCheck() {
    }

    /** Empty when the CSR is this node's own; else why it is refused. */
    static Optional<String> refusal(CertificateSigningRequestSpec spec, String nodeName, Set<String> nodeNames, Set<String> nodeIps) {
        String identity = "system:node:" + nodeName;
        if (!SIGNER.equals(spec.getSignerName())) {
            return Optional.of("signer " + spec.getSignerName() + " is not " + SIGNER);
        }
        if (!identity.equals(spec.getUsername()) || spec.getGroups() == null || !spec.getGroups().contains("system:nodes")) {
            return Optional.of("requested by " + spec.getUsername() + ", not by node " + nodeName);
        }
        if (spec.getUsages() == null || !spec.getUsages().contains("server auth") || !USAGES.containsAll(spec.getUsages())) {
            return Optional.of("usages " + spec.getUsages() + " are not those of a serving certificate");
        }
        PKCS10CertificationRequest request;
        try {
            request = parse(spec.getRequest());
        } catch (IOException | RuntimeException e) {
            return Optional.of("the request is not a PEM certificate request");
        }
        String commonName = single(request, BCStyle.CN);
        if (!identity.equals(commonName) || !"system:nodes".equals(single(request, BCStyle.O))) {
            return Optional.of("asks for " + request.getSubject() + " instead of CN=" + identity + ",O=system:nodes");
        }
        List<String> foreign = new ArrayList<>();
        for (GeneralName name : subjectAltNames(request)) {
            String value = nameValue(name);
            boolean own = switch (name.getTagNo()) {
                case GeneralName.dNSName -> nodeNames.contains(value);
                case GeneralName.iPAddress -> nodeIps.contains(value);
                default -> false;
            };
            if (!own) {
                foreign.add(value);
            }
        }
        return foreign.isEmpty() ? Optional.empty()
                : Optional.of("names " + foreign + " do not belong to node " + nodeName + " (its names " + nodeNames + ", addresses " + nodeIps + ")");
    }

    private static PKCS10CertificationRequest parse(String base64Pem) throws IOException {
        String pem = new String(Base64.getDecoder().decode(base64Pem), StandardCharsets.US_ASCII);
        try (PEMParser parser = new PEMParser(new StringReader(pem))) {
            Object object = parser.readObject();
            if (object instanceof PKCS10CertificationRequest request) {
                return request;
            }
            throw new IOException("not a certificate request");
        }
    }

    private static String single(PKCS10CertificationRequest request, org.bouncycastle.asn1.ASN1ObjectIdentifier type) {
        RDN[] rdns = request.getSubject().getRDNs(type);
        return rdns.length == 1 ? IETFUtils.valueToString(rdns[0].getFirst().getValue()) : null;
    }

    private static List<GeneralName> subjectAltNames(PKCS10CertificationRequest request) {
        List<GeneralName> names = new ArrayList<>();
        for (var attribute : request.getAttributes(PKCSObjectIdentifiers.pkcs_9_at_extensionRequest)) {
            Extensions extensions = Extensions.getInstance(attribute.getAttrValues().getObjectAt(0));
            GeneralNames sans = GeneralNames.fromExtensions(extensions, Extension.subjectAlternativeName);
            if (sans != null) {
                names.addAll(List.of(sans.getNames()));
            }
        }
        return names;
    }

    private static String nameValue(GeneralName name) {
        if (name.getTagNo() == GeneralName.iPAddress) {
            try {
                return InetAddress.getByAddress(org.bouncycastle.asn1.DEROctetString.getInstance(name.getName()).getOctets()).getHostAddress();
            } catch (UnknownHostException e) {
                return name.getName().toString();
            }
        }
        return name.getName().toString();
    }
}
