package io.edgeplane.seedmanager.machine;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeCondition;

import java.util.List;
import java.util.Objects;

/**
 * Whether a node update changed what its device's status shows: its identity (a node registered
 * again), readiness, addresses (which also decide its serving CSRs) or kubelet version. A kubelet
 * writes its node status every few seconds with new heartbeat times in its conditions; those show
 * nothing new and wake nothing.
 */
final class NodeChange {
    private NodeChange() {
    }

    static boolean shown(Node before, Node after) {
        return !Objects.equals(before.getMetadata().getUid(), after.getMetadata().getUid())
                || !Objects.equals(ready(before), ready(after))
                || !addresses(before).equals(addresses(after))
                || !Objects.equals(kubelet(before), kubelet(after));
    }

    /** The Ready condition's status ({@code True}, {@code False}, {@code Unknown}), null when the node reports none. */
    static String ready(Node node) {
        return node.getStatus() == null || node.getStatus().getConditions() == null ? null
                : node.getStatus().getConditions().stream().filter(c -> "Ready".equals(c.getType()))
                .map(NodeCondition::getStatus).findFirst().orElse(null);
    }

    private static List<String> addresses(Node node) {
        return node.getStatus() == null || node.getStatus().getAddresses() == null ? List.of()
                : node.getStatus().getAddresses().stream().map(a -> a.getType() + "=" + a.getAddress()).toList();
    }

    private static String kubelet(Node node) {
        return node.getStatus() == null || node.getStatus().getNodeInfo() == null ? null : node.getStatus().getNodeInfo().getKubeletVersion();
    }
}
