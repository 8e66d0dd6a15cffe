package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.tenant.TenantCache;
import io.edgeplane.seedmanager.cluster.tenant.TenantKinds;
import io.edgeplane.seedmanager.cluster.tenant.TenantListener;
import io.fabric8.kubernetes.api.model.Node;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.ApplicationEventPublisher;

import java.util.Objects;

/**
 * The nodes of every watched cluster: a node registering, going away, or changing what its
 * device shows ({@link NodeChange}: readiness, addresses, kubelet) is reconciled at once instead of
 * at the next resync; a status update with new heartbeat times alone wakes nothing. Tells others
 * who care about readiness ({@link NodeReadinessChanged}).
 */
@Context
public class NodeWatches implements TenantListener<Node> {
    private final MachineWakes wakes;
    private final ApplicationEventPublisher<NodeReadinessChanged> readiness;

    public NodeWatches(TenantCache cache, MachineWakes wakes, ApplicationEventPublisher<NodeReadinessChanged> readiness) {
        this.wakes = wakes;
        this.readiness = readiness;
        cache.listen(TenantKinds.NODES, this);
    }

    @Override
    public void added(String clusterId, Node node) {
        wakes.wake(clusterId, node.getMetadata().getName());
        readiness.publishEvent(new NodeReadinessChanged(clusterId));
    }

    @Override
    public void updated(String clusterId, Node before, Node after) {
        if (NodeChange.shown(before, after)) {
            wakes.wake(clusterId, after.getMetadata().getName());
        }
        if (!Objects.equals(NodeChange.ready(before), NodeChange.ready(after))) {
            readiness.publishEvent(new NodeReadinessChanged(clusterId));
        }
    }

    @Override
    public void deleted(String clusterId, Node node) {
        wakes.wake(clusterId, node.getMetadata().getName());
        readiness.publishEvent(new NodeReadinessChanged(clusterId));
    }
}
