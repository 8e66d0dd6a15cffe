package io.edgeplane.seedmanager.machine;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * A device's serving CSRs as its status shows them, and what {@link ServingCsrCheck} compares a
 * request with: the node's own names and addresses. Pure: approving is {@link ServingCsrApproval}'s.
 */
final class ServingCsrs {
    static final String ISSUED = "Issued";
    static final String PENDING = "Pending";

    private ServingCsrs() {
    }

    /** The node's name and DNS names it reports. */
    static Set<String> names(Node node) {
        Set<String> names = new TreeSet<>(Set.of(node.getMetadata().getName()));
        for (NodeAddress address : addresses(node)) {
            if (dns(address)) {
                names.add(address.getAddress());
            }
        }
        return names;
    }

    /** The IP addresses the node reports. */
    static Set<String> ips(Node node) {
        Set<String> ips = new TreeSet<>();
        for (NodeAddress address : addresses(node)) {
            if (!dns(address)) {
                ips.add(address.getAddress());
            }
        }
        return ips;
    }

    /** Neither approved nor denied yet. */
    static boolean pending(CertificateSigningRequest csr) {
        return csr.getStatus() == null || csr.getStatus().getConditions() == null || csr.getStatus().getConditions().isEmpty();
    }

    /** Empty when the CSR is {@code node}'s own; else why it is refused. */
    static Optional<String> refusal(CertificateSigningRequest csr, Node node) {
        return ServingCsrCheck.refusal(csr.getSpec(), node.getMetadata().getName(), names(node), ips(node));
    }

    /**
     * The serving-certificate state of the node from its CSRs in name order, the last one deciding as
     * the apiserver lists them: Issued once one was signed, Pending while an own one awaits approval
     * (or its signature), {@code Refused <csr>: <why>} for one that is not the node's own; with none,
     * {@code previous}.
     */
    static String state(List<CertificateSigningRequest> mine, Node node, String previous) {
        String state = previous;
        for (CertificateSigningRequest csr : mine) {
            if (!pending(csr)) {
                if (csr.getStatus().getCertificate() != null && !csr.getStatus().getCertificate().isEmpty()) {
                    state = ISSUED;
                }
                continue;
            }
            Optional<String> refusal = refusal(csr, node);
            state = refusal.isPresent() ? "Refused " + csr.getMetadata().getName() + ": " + refusal.get() : PENDING;
        }
        return state;
    }

    private static List<NodeAddress> addresses(Node node) {
        return node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of() : node.getStatus().getAddresses();
    }

    private static boolean dns(NodeAddress address) {
        return "Hostname".equals(address.getType()) || "InternalDNS".equals(address.getType()) || "ExternalDNS".equals(address.getType());
    }
}
