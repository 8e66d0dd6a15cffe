package io.edgeplane.seedmanager.podnetwork;

import org.bouncycastle.asn1.ASN1ObjectIdentifier;
import org.bouncycastle.asn1.ASN1String;
import org.bouncycastle.asn1.x500.AttributeTypeAndValue;
import org.bouncycastle.asn1.x500.RDN;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x500.style.BCStyle;
import org.bouncycastle.asn1.x500.style.IETFUtils;

import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;

/**
 * Which node a client certificate speaks for, read as the apiserver reads a kubelet's: CN
 * {@code system:node:<node>}, O {@code system:nodes}. A device dials with its kubelet's client
 * certificate, so the relay needs no credential of its own on devices, and a node the cluster
 * would not accept is not accepted here either.
 */
final class NodeIdentity {
    static final String NODE_USER_PREFIX = "system:node:";
    static final String NODES_GROUP = "system:nodes";

    private NodeIdentity() {
    }

    /**
     * The node name of {@code certificate}.
     *
     * @throws IllegalArgumentException saying why the certificate is not a node's
     */
    static String nodeName(X509Certificate certificate) {
        X500Name subject = X500Name.getInstance(certificate.getSubjectX500Principal().getEncoded());
        List<String> commonNames = values(subject, BCStyle.CN);
        if (commonNames.size() != 1) {
            throw new IllegalArgumentException("the client certificate has " + commonNames.size() + " common names (CN), a node's has one");
        }
        String commonName = commonNames.get(0);
        if (!commonName.startsWith(NODE_USER_PREFIX) || commonName.length() == NODE_USER_PREFIX.length()) {
            throw new IllegalArgumentException("the client certificate's CN '" + commonName + "' is not " + NODE_USER_PREFIX + "<node>");
        }
        if (!values(subject, BCStyle.O).contains(NODES_GROUP)) {
            throw new IllegalArgumentException("the client certificate of " + commonName + " is not in group (O) " + NODES_GROUP);
        }
        return commonName.substring(NODE_USER_PREFIX.length());
    }

    private static List<String> values(X500Name subject, ASN1ObjectIdentifier type) {
        List<String> values = new ArrayList<>();
        for (RDN rdn : subject.getRDNs(type)) {
            for (AttributeTypeAndValue attribute : rdn.getTypesAndValues()) {
                if (attribute.getType().equals(type)) {
                    // The plain string: RFC 4514 escaping would turn a value into something the apiserver does not compare.
                    values.add(attribute.getValue() instanceof ASN1String text ? text.getString()
                            : IETFUtils.valueToString(attribute.getValue()));
                }
            }
        }
        return values;
    }
}
