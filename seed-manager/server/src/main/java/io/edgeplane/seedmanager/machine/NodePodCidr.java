package io.edgeplane.seedmanager.machine;

import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.fabric8.kubernetes.client.utils.Serialization;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Map;

/**
 * Writes a device's pod range into its Node ({@code spec.podCIDR} and {@code spec.podCIDRs}), where
 * Kubernetes components that route or masquerade by node range read it. No controller allocates
 * node ranges in a tenant cluster (the seed manager does, per device), so the seed sets it once the
 * node has registered. The apiserver lets an empty range be set but never changed, so a node that
 * already carries another range keeps it and the difference is reported.
 */
public final class NodePodCidr {
    private static final Logger LOG = LoggerFactory.getLogger(NodePodCidr.class);
    private static final int HTTP_NOT_FOUND = 404;
    private static final int HTTP_CONFLICT = 409;
    // The kubelet writes its node's status now and then, which moves the resourceVersion: a lost race is retried on a fresh read.
    private static final int ATTEMPTS = 3;

    /** What {@link #ensure} found and did. */
    public enum Outcome {
        /** The node had no range and now has this one. */
        SET,
        /** The node already had this range. */
        ALREADY_SET,
        /** The node has another range, which stays (Kubernetes forbids changing it). */
        DIFFERENT_KEPT,
        /** No node of that name (not registered yet, or removed). */
        NO_NODE
    }

    private NodePodCidr() {
    }

    /**
     * Sets {@code cidr} as the node's pod range when it has none; idempotent.
     *
     * @throws KubernetesClientException when the apiserver refuses or cannot be reached
     */
    public static Outcome ensure(KubernetesClient client, String nodeName, String cidr) {
        for (int attempt = 1; ; attempt++) {
            Node node = client.nodes().withName(nodeName).get();
            if (node == null) {
                return Outcome.NO_NODE;
            }
            String current = node.getSpec() == null ? null : node.getSpec().getPodCIDR();
            if (cidr.equals(current)) {
                return Outcome.ALREADY_SET;
            }
            if (current != null && !current.isEmpty()) {
                LOG.warn("node={} step=node-pod-cidr has podCIDR {} and keeps it (Kubernetes forbids changing it); "
                        + "its device was given {}", nodeName, current, cidr);
                return Outcome.DIFFERENT_KEPT;
            }
            try {
                // The resourceVersion makes the write conditional: a range set meanwhile by someone else is not overwritten.
                client.nodes().withName(nodeName).patch(PatchContext.of(PatchType.JSON_MERGE), Serialization.asJson(Map.of(
                        "metadata", Map.of("resourceVersion", node.getMetadata().getResourceVersion()),
                        "spec", Map.of("podCIDR", cidr, "podCIDRs", List.of(cidr)))));
                LOG.info("node={} step=node-pod-cidr podCIDR={}", nodeName, cidr);
                return Outcome.SET;
            } catch (KubernetesClientException e) {
                if (e.getCode() == HTTP_NOT_FOUND) {
                    return Outcome.NO_NODE;
                }
                if (e.getCode() != HTTP_CONFLICT || attempt >= ATTEMPTS) {
                    throw e;
                }
            }
        }
    }
}
