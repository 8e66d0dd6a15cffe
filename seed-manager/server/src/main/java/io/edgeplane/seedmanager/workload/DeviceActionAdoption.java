package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.audit.AuditEvent;
import io.edgeplane.seedmanager.audit.AuditRepository;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.workload.device.DeviceActionOutcome;
import io.edgeplane.seedmanager.workload.device.DeviceActionRecords;
import io.edgeplane.seedmanager.workload.device.DeviceActionRecords.Decided;
import io.edgeplane.seedmanager.workload.device.DeviceReport.LocalAction;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Decides an action the person on site made with the device agent's local command: adopted into
 * the workload (as if the operator had made it, audited as done on the device) unless the operator
 * changed the workload after the device last heard of it; then the operator's state is kept and the
 * action is recorded as a conflict. Each action is decided once (by its device and sequence number).
 * Actions act on the workload as a whole, except {@code delete}, which takes only that device out.
 */
@Singleton
public class DeviceActionAdoption {
    private static final Logger LOG = LoggerFactory.getLogger(DeviceActionAdoption.class);

    private final WorkloadRepository workloads;
    private final DeviceActionRecords records;
    private final WorkloadJson json;
    private final AuditRepository audit;

    public DeviceActionAdoption(WorkloadRepository workloads, DeviceActionRecords records, WorkloadJson json, AuditRepository audit) {
        this.workloads = workloads;
        this.records = records;
        this.json = json;
        this.audit = audit;
    }

    /** The decision, taken now or found from before. */
    @Transactional
    public Decided decide(Cluster cluster, String node, LocalAction action) {
        Optional<Decided> before = records.find(cluster.id(), node, action.seq());
        if (before.isPresent()) {
            return before.get();
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Optional<Workload> row = workloads.lock(cluster.id(), action.workload());
        Decision decision = row.isEmpty()
                ? conflict("workload " + action.workload() + " is not in the cluster (undeployed by the operator meanwhile); nothing adopted")
                : decide(cluster, node, action, row.get(), now);
        Decided decided = new Decided(node, action.seq(), action.workload(), action.action(), action.at(), action.cause(),
                action.basedOnGeneration(), action.specHash(), decision.outcome(), decision.message(), decision.generationAfter(), now);
        if (!records.insert(cluster.id(), decided)) {
            // Another pass decided it meanwhile (possible only for a workload the cluster does not have: no row to lock).
            return records.find(cluster.id(), node, action.seq()).orElse(decided);
        }
        audit.save(new AuditEvent(null, now, "device:" + cluster.project() + "/" + cluster.name() + "/" + node,
                "DEVICE " + action.action() + " (done on the device at " + action.at() + (action.cause().isEmpty() ? "" : ": " + action.cause()) + ")",
                "/api/v1/projects/" + cluster.project() + "/clusters/" + cluster.name() + "/workloads/" + action.workload(),
                decision.outcome().name()));
        LOG.info("workload={}/{}/{} device={} seq={} action={} outcome={}: {}", cluster.project(), cluster.name(), action.workload(), node,
                action.seq(), action.action(), decision.outcome(), decision.message());
        return decided;
    }

    private record Decision(DeviceActionOutcome outcome, String message, Long generationAfter) {
    }

    private static Decision conflict(String message) {
        return new Decision(DeviceActionOutcome.conflict, message, null);
    }

    private Decision decide(Cluster cluster, String node, LocalAction action, Workload w, Instant now) {
        String done = action.action() + " on device " + node + " at " + action.at();
        if (w.deleteRequested()) {
            return action.action().equals("delete") ? new Decision(DeviceActionOutcome.adopted, done + ": the workload is being undeployed", null)
                    : conflict(done + " not adopted: the operator undeployed the workload meanwhile");
        }
        // An import is judged by what it runs, not by what the device knew: a bundle is made from the seed's own live version.
        if (!action.action().equals("import") && !unchangedSince(cluster, node, action, w)) {
            return conflict(done + " not adopted: the operator changed the workload meanwhile (generation " + action.basedOnGeneration()
                    + " on the device, " + w.generation() + " now); the operator's state was kept");
        }
        WorkloadSpec live = json.spec(w.liveSpec());
        WorkloadSpec staged = json.spec(w.stagedSpec());
        return switch (action.action()) {
            case "stop" -> runWish(w, false, WorkloadEvent.STOP, done, now);
            case "start" -> runWish(w, true, WorkloadEvent.START, done, now);
            case "apply" -> {
                if (staged == null || !WorkloadSpecs.hash(staged).equals(action.specHash())) {
                    yield conflict(done + " not adopted: the device applied version " + action.version() + ", which is not the staged version now");
                }
                WorkloadState next = WorkloadStateMachine.live(w.state(), WorkloadEvent.APPLY).orElse(WorkloadState.pending_apply);
                yield adopted(w, w.stagedAppVersion(), w.stagedSpec(), null, null, null, true, next, false, done, now);
            }
            case "delete" -> {
                WorkloadSpec keptLive = without(live, node);
                WorkloadSpec keptStaged = without(staged, node);
                boolean nothingLeft = keptLive == null && keptStaged == null;
                yield adopted(w, w.appVersion(), keptLive == null ? null : json.write(keptLive), w.stagedAppVersion(),
                        keptStaged == null ? null : json.write(keptStaged), w.stagedState(), w.run(), w.state(), nothingLeft,
                        done + (nothingLeft ? "; it ran on no other device, so the workload is undeployed" : "; the device left the workload"), now);
            }
            case "import" -> live != null && WorkloadSpecs.hash(live).equals(action.specHash()) && live.nodes().contains(node)
                    ? new Decision(DeviceActionOutcome.adopted, done + ": the imported version is the workload's live version", null)
                    : conflict(done + " not adopted: the imported version " + action.version() + " is not what the operator deployed to this device");
            default -> conflict(done + " not adopted: unknown action " + action.action());
        };
    }

    /** No operator change since the device's view: the same generation, or only this device's own adoptions since. */
    private boolean unchangedSince(Cluster cluster, String node, LocalAction action, Workload w) {
        if (w.generation() == action.basedOnGeneration()) {
            return true;
        }
        return records.generationAfterOwnAdoption(cluster.id(), node, w.name(), action.basedOnGeneration())
                .map(after -> after == w.generation()).orElse(false);
    }

    private Decision runWish(Workload w, boolean run, WorkloadEvent event, String done, Instant now) {
        if (w.run() == run) {
            return new Decision(DeviceActionOutcome.adopted, done + ": the workload was already " + (run ? "started" : "stopped"), null);
        }
        WorkloadState next = WorkloadStateMachine.live(w.state(), event).orElse(run ? WorkloadState.pending_start : WorkloadState.pending_stop);
        return adopted(w, w.appVersion(), w.liveSpec(), w.stagedAppVersion(), w.stagedSpec(), w.stagedState(), run, next, false, done, now);
    }

    private Decision adopted(Workload w, String appVersion, String liveSpec, String stagedAppVersion, String stagedSpec,
                             WorkloadState stagedState, boolean run, WorkloadState state, boolean delete, String done, Instant now) {
        boolean keepRequest = stagedSpec != null && stagedSpec.equals(w.stagedSpec());
        workloads.operate(w.id(), w.title(), appVersion, liveSpec, stagedAppVersion, stagedSpec,
                keepRequest && w.stagedInstantlyApply(), keepRequest ? w.stagedRequest() : null,
                stagedState == null || stagedSpec == null ? null : stagedState.name(), run, state.name(), delete,
                done + " adopted", now);
        return new Decision(DeviceActionOutcome.adopted, done + " adopted", w.generation() + 1);
    }

    private static WorkloadSpec without(WorkloadSpec spec, String node) {
        if (spec == null) {
            return null;
        }
        List<String> nodes = new ArrayList<>(spec.nodes());
        nodes.remove(node);
        return nodes.isEmpty() ? null : new WorkloadSpec(spec.appName(), spec.appVersion(), spec.containers(), spec.configuration(), nodes);
    }
}
