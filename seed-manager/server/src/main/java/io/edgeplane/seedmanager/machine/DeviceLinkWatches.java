package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.tenant.TenantCache;
import io.edgeplane.seedmanager.cluster.tenant.TenantKinds;
import io.edgeplane.seedmanager.cluster.tenant.TenantListener;
import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The device agents' reports ({@code DeviceWorkloads} status) of every watched cluster, for the
 * links a device's status shows: a link reported otherwise, or a device heard again after a
 * silence, is reconciled at once ({@link DeviceLinkObservation#changed}); the agent's periodic
 * report alone wakes nothing. A silence is noticed here too: a device whose report turns stale
 * ({@link ReportDeadlines}) is reconciled then, so that its links show disconnected, while a device
 * that keeps reporting is passed only at its resync.
 */
@Context
public class DeviceLinkWatches implements TenantListener<GenericKubernetesResource> {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceLinkWatches.class);

    private final MachineWakes wakes;
    private final ReportDeadlines deadlines = new ReportDeadlines();
    private final ScheduledExecutorService silences = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "device-report-deadlines");
        t.setDaemon(true);
        return t;
    });

    public DeviceLinkWatches(TenantCache cache, MachineWakes wakes) {
        this.wakes = wakes;
        cache.listen(TenantKinds.DEVICE_WORKLOADS, this);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        silences.scheduleWithFixedDelay(this::wakeSilent, 1, 1, TimeUnit.SECONDS);
    }

    @PreDestroy
    void close() {
        silences.shutdownNow();
    }

    @Override
    public void added(String clusterId, GenericKubernetesResource device) {
        Optional<DeviceReport> report = heard(clusterId, device);
        if (report.isPresent()) {
            wakes.wake(clusterId, device.getMetadata().getName());
        }
    }

    @Override
    public void updated(String clusterId, GenericKubernetesResource before, GenericKubernetesResource after) {
        Optional<DeviceReport> report = heard(clusterId, after);
        if (DeviceLinkObservation.changed(DeviceReport.of(before), report)) {
            wakes.wake(clusterId, after.getMetadata().getName());
        }
    }

    @Override
    public void deleted(String clusterId, GenericKubernetesResource device) {
        deadlines.forget(new ReportDeadlines.Device(clusterId, device.getMetadata().getName()));
        wakes.wake(clusterId, device.getMetadata().getName());
    }

    private Optional<DeviceReport> heard(String clusterId, GenericKubernetesResource device) {
        Optional<DeviceReport> report = DeviceReport.of(device);
        ReportDeadlines.Device key = new ReportDeadlines.Device(clusterId, device.getMetadata().getName());
        if (report.isPresent()) {
            deadlines.heard(key, report.get().heardAt());
        } else {
            deadlines.forget(key);
        }
        return report;
    }

    private void wakeSilent() {
        try {
            for (ReportDeadlines.Device device : deadlines.stale(Instant.now())) {
                LOG.debug("cluster-id={} device={} report turned stale", device.clusterId(), device.node());
                wakes.wake(device.clusterId(), device.node());
            }
        } catch (RuntimeException e) {
            LOG.warn("device report deadlines: waking silent devices failed; their resync shows them", e);
        }
    }
}
