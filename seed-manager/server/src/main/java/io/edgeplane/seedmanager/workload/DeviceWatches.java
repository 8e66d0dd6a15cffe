package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.cluster.tenant.TenantCache;
import io.edgeplane.seedmanager.cluster.tenant.TenantKinds;
import io.edgeplane.seedmanager.cluster.tenant.TenantListener;
import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The device agents' reports ({@code DeviceWorkloads} status) of every watched cluster. An agent
 * heard again after a silence is the first sign that a device is back (before its kubelet reports
 * the node Ready), so every workload of the cluster is reconciled at once; otherwise only the
 * workloads whose report or local actions changed. Heartbeats alone wake nothing. A device marked as having passed
 * its onboarding check wakes every workload of its cluster too: some may wait for it.
 */
@Context
public class DeviceWatches implements TenantListener<GenericKubernetesResource> {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceWatches.class);

    private final WorkloadReconcileRepository workloads;
    private final WorkloadReconciler reconciler;

    public DeviceWatches(TenantCache cache, WorkloadReconcileRepository workloads, WorkloadReconciler reconciler) {
        this.workloads = workloads;
        this.reconciler = reconciler;
        cache.listen(TenantKinds.DEVICE_WORKLOADS, this);
    }

    @Override
    public void added(String clusterId, GenericKubernetesResource device) {
        changed(clusterId, null, device);
    }

    @Override
    public void updated(String clusterId, GenericKubernetesResource before, GenericKubernetesResource after) {
        changed(clusterId, before, after);
    }

    private void changed(String clusterId, GenericKubernetesResource before, GenericKubernetesResource after) {
        if (DeviceWorkloadsResource.onboarded(after) && (before == null || !DeviceWorkloadsResource.onboarded(before))) {
            // Workloads that wait for this device's onboarding check go on.
            LOG.debug("cluster-id={} device={} passed its onboarding check", clusterId, after.getMetadata().getName());
            if (workloads.wakeCluster(clusterId, WorkloadClaims.now()) > 0) {
                reconciler.wake();
            }
        }
        Optional<DeviceReport> now = DeviceReport.of(after);
        if (now.isEmpty()) {
            return;
        }
        Optional<DeviceReport> then = before == null ? Optional.empty() : DeviceReport.of(before);
        Instant heardBefore = then.map(DeviceReport::heardAt).orElse(null);
        if (heardBefore == null || heardBefore.plus(DeviceReport.FRESH).isBefore(now.get().heardAt())) {
            LOG.debug("cluster-id={} device={} agent heard again", clusterId, now.get().node());
            if (workloads.wakeCluster(clusterId, WorkloadClaims.now()) > 0) {
                reconciler.wake();
            }
            return;
        }
        Set<String> names = new TreeSet<>();
        Map<String, DeviceReport.WorkloadReport> old = new HashMap<>();
        then.get().workloads().forEach(w -> old.put(w.name(), w));
        now.get().workloads().stream().filter(w -> !w.equals(old.remove(w.name()))).forEach(w -> names.add(w.name()));
        names.addAll(old.keySet());
        if (!now.get().actions().equals(then.get().actions())) {
            now.get().actions().forEach(a -> names.add(a.workload()));
        }
        boolean woken = false;
        for (String name : names) {
            woken |= workloads.wake(clusterId, name, WorkloadClaims.now()) > 0;
        }
        if (woken) {
            reconciler.wake();
        }
    }
}
