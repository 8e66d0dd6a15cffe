package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.cluster.tenant.TenantCache;
import io.edgeplane.seedmanager.cluster.tenant.TenantKinds;
import io.edgeplane.seedmanager.cluster.tenant.TenantListener;
import io.edgeplane.seedmanager.machine.NodeReadinessChanged;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.fabric8.kubernetes.api.model.Pod;
import io.micronaut.context.annotation.Context;
import io.micronaut.runtime.event.annotation.EventListener;

/**
 * The workload pods of every watched cluster, so that a pod turning ready or failing is reconciled
 * at once instead of at the next resync; a device going away or coming back arrives from the node
 * watches ({@link NodeReadinessChanged}).
 */
@Context
public class WorkloadWatches implements TenantListener<Pod> {
    private final WorkloadReconcileRepository workloads;
    private final WorkloadReconciler reconciler;

    public WorkloadWatches(TenantCache cache, WorkloadReconcileRepository workloads, WorkloadReconciler reconciler) {
        this.workloads = workloads;
        this.reconciler = reconciler;
        cache.listen(TenantKinds.WORKLOAD_PODS, this);
    }

    /** A device came, went, or changed readiness: every workload of its cluster may have something to do. */
    @EventListener
    void onNodeReadinessChanged(NodeReadinessChanged event) {
        wakeCluster(event.clusterId());
    }

    /** A change of a pod reconciles the pod's workload. */
    @Override
    public void added(String clusterId, Pod pod) {
        wake(clusterId, pod);
    }

    @Override
    public void updated(String clusterId, Pod before, Pod after) {
        wake(clusterId, after);
    }

    @Override
    public void deleted(String clusterId, Pod pod) {
        wake(clusterId, pod);
    }

    private void wake(String clusterId, Pod pod) {
        String workload = pod.getMetadata().getLabels() == null ? null : pod.getMetadata().getLabels().get(WorkloadPods.WORKLOAD_LABEL);
        if (workload != null && workloads.wake(clusterId, workload, WorkloadClaims.now()) > 0) {
            reconciler.wake();
        }
    }

    private void wakeCluster(String clusterId) {
        if (workloads.wakeCluster(clusterId, WorkloadClaims.now()) > 0) {
            reconciler.wake();
        }
    }
}
