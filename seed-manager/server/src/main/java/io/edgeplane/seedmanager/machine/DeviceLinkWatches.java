package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.tenant.TenantCache;
import io.edgeplane.seedmanager.cluster.tenant.TenantKinds;
import io.edgeplane.seedmanager.cluster.tenant.TenantListener;
import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.micronaut.context.annotation.Context;


/**
 * The device agents' reports ({@code DeviceWorkloads} status) of every watched cluster, for the
 * links a device's status shows: a link reported otherwise, or a device heard again after a
 * silence, is reconciled at once ({@link DeviceLinkObservation#changed}); the agent's periodic
 * report alone wakes nothing. A report turning stale is a matter of time, not of a change: the
 * reconciler schedules the device's next pass for then.
 */
@Context
public class DeviceLinkWatches implements TenantListener<GenericKubernetesResource> {
    private final MachineWakes wakes;

    public DeviceLinkWatches(TenantCache cache, MachineWakes wakes) {
        this.wakes = wakes;
        cache.listen(TenantKinds.DEVICE_WORKLOADS, this);
    }

    @Override
    public void added(String clusterId, GenericKubernetesResource device) {
        if (DeviceReport.of(device).isPresent()) {
            wakes.wake(clusterId, device.getMetadata().getName());
        }
    }

    @Override
    public void updated(String clusterId, GenericKubernetesResource before, GenericKubernetesResource after) {
        if (DeviceLinkObservation.changed(DeviceReport.of(before), DeviceReport.of(after))) {
            wakes.wake(clusterId, after.getMetadata().getName());
        }
    }

    @Override
    public void deleted(String clusterId, GenericKubernetesResource device) {
        wakes.wake(clusterId, device.getMetadata().getName());
    }
}
