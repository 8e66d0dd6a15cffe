package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.ClusterConnections.Connection;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * What the tenant cluster says about one device's node: registration, readiness, heartbeat (its
 * Lease), addresses, and its serving certificate requests, of which only its own are approved.
 */
final class NodeObservation {
    private static final Logger LOG = LoggerFactory.getLogger(NodeObservation.class);

    private static final String NO_ADDRESS = " reports no address";

    private NodeObservation() {
    }

    /** The observed status, the phase it implies and the node's uid (both empty when the node has not registered). */
    record Observed(MachineStatus status, Optional<MachinePhase> phase, Optional<String> nodeUid) {
    }

    static Observed observe(Connection tenant, String nodeName, MachineStatus previous, MachinePhase previousPhase) {
        Node node = tenant.client().nodes().withName(nodeName).get();
        if (node == null) {
            return new Observed(new MachineStatus(null, null, List.of(), null, previous.servingCertificate(), previous.message(),
                    previous.tunnel(), previous.podNetwork()), Optional.empty(), Optional.empty());
        }
        List<String> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
                : node.getStatus().getAddresses().stream().map(NodeAddress::getAddress).distinct().toList();
        String kubelet = node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null
                : node.getStatus().getNodeInfo().getKubeletVersion();
        Lease lease = tenant.client().leases().inNamespace("kube-node-lease").withName(nodeName).get();
        Instant heartbeat = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? null
                : lease.getSpec().getRenewTime().toInstant();
        String serving = approveServingCsrs(tenant, node, previous.servingCertificate());
        MachinePhase phase = phaseOf(node, previousPhase);
        // A kubelet given an address it does not hold registers with none: nothing can reach it then.
        boolean wasNoAddress = previous.message() != null && previous.message().contains(NO_ADDRESS);
        String message = addresses.isEmpty() ? "node " + nodeName + NO_ADDRESS + ", so the apiserver cannot reach its kubelet"
                + " (kubectl logs, exec, port-forward fail): provision it again with EDGEPLANE_NODE_IP set to an address of the device"
                : phase == MachinePhase.Ready || wasNoAddress ? null : previous.message();
        return new Observed(new MachineStatus(nodeName, kubelet, addresses, heartbeat, serving, message, previous.tunnel(),
                previous.podNetwork()),
                Optional.of(phase), Optional.ofNullable(node.getMetadata().getUid()));
    }

    private static MachinePhase phaseOf(Node node, MachinePhase previous) {
        Optional<NodeCondition> ready = node.getStatus() == null || node.getStatus().getConditions() == null ? Optional.empty()
                : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType())).findFirst();
        if (ready.isPresent() && "True".equals(ready.get().getStatus())) {
            return MachinePhase.Ready;
        }
        return previous == MachinePhase.Ready || previous == MachinePhase.NotReady ? MachinePhase.NotReady : MachinePhase.Joined;
    }

    /** Approves this node's pending serving CSRs that pass {@link ServingCsrCheck}; returns the serving-certificate state. */
    private static String approveServingCsrs(Connection tenant, Node node, String previous) {
        String nodeName = node.getMetadata().getName();
        Set<String> names = new TreeSet<>(Set.of(nodeName));
        Set<String> ips = new TreeSet<>();
        if (node.getStatus() != null && node.getStatus().getAddresses() != null) {
            for (NodeAddress address : node.getStatus().getAddresses()) {
                if ("Hostname".equals(address.getType()) || "InternalDNS".equals(address.getType()) || "ExternalDNS".equals(address.getType())) {
                    names.add(address.getAddress());
                } else {
                    ips.add(address.getAddress());
                }
            }
        }
        String state = previous;
        List<CertificateSigningRequest> mine = new ArrayList<>();
        for (CertificateSigningRequest csr : tenant.client().certificates().v1().certificateSigningRequests().list().getItems()) {
            if (ServingCsrCheck.SIGNER.equals(csr.getSpec().getSignerName())
                    && ("system:node:" + nodeName).equals(csr.getSpec().getUsername())) {
                mine.add(csr);
            }
        }
        for (CertificateSigningRequest csr : mine) {
            boolean decided = csr.getStatus() != null && csr.getStatus().getConditions() != null && !csr.getStatus().getConditions().isEmpty();
            if (decided) {
                if (csr.getStatus().getCertificate() != null && !csr.getStatus().getCertificate().isEmpty()) {
                    state = "Issued";
                }
                continue;
            }
            Optional<String> refusal = ServingCsrCheck.refusal(csr.getSpec(), nodeName, names, ips);
            if (refusal.isPresent()) {
                LOG.warn("machine={} serving CSR {} left unapproved: {}", nodeName, csr.getMetadata().getName(), refusal.get());
                state = "Refused " + csr.getMetadata().getName() + ": " + refusal.get();
            } else {
                tenant.client().certificates().v1().certificateSigningRequests().withName(csr.getMetadata().getName())
                        .approve(new io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestConditionBuilder()
                                .withType("Approved").withStatus("True").withReason("EdgeplaneNodeServing")
                                .withMessage("serving certificate of the node of MachineDeployment " + nodeName).build());
                LOG.info("machine={} serving CSR {} approved", nodeName, csr.getMetadata().getName());
                state = "Pending";
            }
        }
        return state;
    }
}
