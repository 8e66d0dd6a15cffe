package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.workload.device.DeviceActionRecords;
import io.edgeplane.seedmanager.workload.device.DeviceActionRecords.Decided;
import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceReport.LocalAction;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsClient;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The reconciler's steps for local actions the devices report: decide those about this workload
 * (and about workloads the cluster does not have, which no other reconciler would), and, once the
 * outcome is in the devices' entries, acknowledge them, so that each device drops what was decided
 * and follows its entries again. An acknowledgement covers a device's actions in order: one not yet
 * decided (or decided but not yet pushed) holds back the later ones, so the device never falls back
 * to an entry that does not show the outcome yet.
 */
@Singleton
public class DeviceActions {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceActions.class);
    private static final int SHOWN = 10;

    private final DeviceActionAdoption adoption;
    private final DeviceActionRecords records;
    private final WorkloadRepository workloads;

    public DeviceActions(DeviceActionAdoption adoption, DeviceActionRecords records, WorkloadRepository workloads) {
        this.adoption = adoption;
        this.records = records;
        this.workloads = workloads;
    }

    /** Decides the reported actions this workload's reconciler owns; true when that changed the workload (its row is stale now). */
    public boolean adopt(Cluster cluster, Workload workload, Collection<DeviceReport> reports) {
        boolean changed = false;
        for (DeviceReport report : reports) {
            for (LocalAction action : report.actions()) {
                if (action.workload().equals(workload.name())) {
                    Decided decided = adoption.decide(cluster, report.node(), action);
                    changed |= decided.generationAfter() != null && decided.generationAfter() > workload.generation();
                } else if (workloads.findByClusterIdAndName(cluster.id(), action.workload()).isEmpty()) {
                    adoption.decide(cluster, report.node(), action);
                }
            }
        }
        return changed;
    }

    /** Acknowledges, per device, the longest run of its actions that are decided and whose outcome was pushed. */
    public void acknowledge(String ref, Cluster cluster, Collection<DeviceReport> reports, DeviceWorkloadsClient devices) {
        for (DeviceReport report : reports) {
            long acknowledged = report.acknowledged();
            for (LocalAction action : report.actions()) {
                Optional<Decided> decided = records.find(cluster.id(), report.node(), action.seq());
                if (decided.isEmpty() || !pushed(cluster, decided.get())) {
                    break;
                }
                acknowledged = action.seq();
            }
            if (acknowledged > report.acknowledged()) {
                LOG.info("{} step=acknowledge device={} actions up to {}", ref, report.node(), acknowledged);
                devices.acknowledge(report.node(), acknowledged);
            }
        }
    }

    private boolean pushed(Cluster cluster, Decided decided) {
        if (decided.generationAfter() == null) {
            return true;
        }
        return workloads.findByClusterIdAndName(cluster.id(), decided.workload())
                .map(w -> w.observedGeneration() >= decided.generationAfter() || w.deleteRequested()).orElse(true);
    }

    /** The latest decisions about the workload's device actions, for its status. */
    public List<WorkloadStatus.DeviceAction> latest(Workload workload) {
        return records.latest(workload.clusterId(), workload.name(), SHOWN).stream()
                .map(d -> new WorkloadStatus.DeviceAction(d.node(), d.seq(), d.action(), d.doneAt(), d.cause(), d.outcome(), d.message()))
                .toList();
    }
}
