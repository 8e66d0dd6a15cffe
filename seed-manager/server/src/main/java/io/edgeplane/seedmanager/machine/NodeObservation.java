package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.tenant.TenantView;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeAddress;
import io.fabric8.kubernetes.api.model.NodeCondition;
import io.fabric8.kubernetes.api.model.coordination.v1.Lease;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the tenant cluster says about one device's node: registration, readiness, heartbeat (its
 * Lease), addresses, and the state of its serving certificate requests. Reads only, from the
 * cluster's cached view: the requests are approved as they appear ({@link ServingCsrApproval}).
 */
final class NodeObservation {
    private static final String NO_ADDRESS = " reports no address";

    private NodeObservation() {
    }

    /** The observed status, the phase it implies and the node's uid (both empty when the node has not registered). */
    record Observed(MachineStatus status, Optional<MachinePhase> phase, Optional<String> nodeUid) {
    }

    static Observed observe(TenantView tenant, String nodeName, MachineStatus previous, MachinePhase previousPhase) {
        Node node = tenant.node(nodeName).orElse(null);
        if (node == null) {
            return new Observed(previous.withNode(null, null, List.of(), null, previous.servingCertificate(), previous.message()),
                    Optional.empty(), Optional.empty());
        }
        List<String> addresses = node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
                : node.getStatus().getAddresses().stream().map(NodeAddress::getAddress).distinct().toList();
        String kubelet = node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null
                : node.getStatus().getNodeInfo().getKubeletVersion();
        Lease lease = tenant.nodeLease(nodeName).orElse(null);
        Instant heartbeat = lease == null || lease.getSpec() == null || lease.getSpec().getRenewTime() == null ? null
                : lease.getSpec().getRenewTime().toInstant();
        String serving = ServingCsrs.state(tenant.servingCsrs(nodeName), node, previous.servingCertificate());
        MachinePhase phase = phaseOf(node, previousPhase);
        // A kubelet given an address it does not hold registers with none: nothing can reach it then.
        boolean wasNoAddress = previous.message() != null && previous.message().contains(NO_ADDRESS);
        String message = addresses.isEmpty() ? "node " + nodeName + NO_ADDRESS + ", so the apiserver cannot reach its kubelet"
                + " (kubectl logs, exec, port-forward fail): provision it again with EDGEPLANE_NODE_IP set to an address of the device"
                : phase == MachinePhase.Ready || wasNoAddress ? null : previous.message();
        return new Observed(previous.withNode(nodeName, kubelet, addresses, heartbeat, serving, message),
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
}
