package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.cluster.tenant.TenantCache;
import io.edgeplane.seedmanager.cluster.tenant.TenantView;
import io.edgeplane.seedmanager.metrics.ReconcileMetrics;
import io.edgeplane.seedmanager.reconcile.ClaimLoop;
import io.edgeplane.seedmanager.reconcile.ReconcileKind;
import io.edgeplane.seedmanager.reconcile.Reconciler;
import io.edgeplane.seedmanager.workload.kube.PrePullPodBuilder;
import io.edgeplane.seedmanager.workload.kube.WorkloadApplier;
import io.edgeplane.seedmanager.workload.kube.WorkloadNamespaceBuilder;
import io.edgeplane.seedmanager.workload.kube.WorkloadObservation;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadEntryBuilder;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsClient;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;

import static io.edgeplane.seedmanager.workload.WorkloadState.*;

/**
 * Carries every workload out in its tenant cluster, in named steps: delete (every object, then the
 * row) | adopt (actions made on the devices with their local command) -> wait (cluster or devices
 * away) -> push (the workload's entry in each target device's DeviceWorkloads, whose agent runs it
 * as a static pod) -> prepull (the staged version's images, then the request's staged versions
 * applied together) -> observe (device agents' reports, else mirror pods, and nodes give the state)
 * -> status. Workers claim rows from PostgreSQL, so
 * replicas never work on one workload at once; an operation made during a pass wins over it.
 * A pass reads the cluster's cached view ({@link TenantCache}), and only what concerns its
 * workload: its target devices' nodes and reports, its pods, the devices with its entry or with
 * local actions to decide.
 */
@Context
public class WorkloadReconciler implements Reconciler<Workload> {
    private static final Logger LOG = LoggerFactory.getLogger(WorkloadReconciler.class);
    private static final int WORKERS = 2;
    private static final Duration RESYNC = Duration.ofSeconds(10);
    private static final Duration TRANSITIONAL = Duration.ofMillis(1500);
    private static final Duration RETRY = Duration.ofSeconds(5);
    private static final Set<WorkloadState> PENDING = EnumSet.of(pending_deploy, pending_start, pending_stop, pending_apply, staged);
    private static final Set<WorkloadState> MOVING = EnumSet.of(pending_deploy, pending_start, pending_stop, pending_apply, received,
            deploying, starting, stopping);

    private final WorkloadClaims claims;
    private final WorkloadReconcileRepository workloads;
    private final ClusterRepository clusters;
    private final ClusterConnections connections;
    private final WorkloadJson json;
    private final DeviceActions adoptions;
    private final TenantCache cache;
    private final ClaimLoop<Workload> loop;

    public WorkloadReconciler(WorkloadClaims claims, WorkloadReconcileRepository workloads, ClusterRepository clusters,
                              ClusterConnections connections, WorkloadJson json, DeviceActions adoptions, ReconcileMetrics metrics,
                              TenantCache cache) {
        this.claims = claims;
        this.adoptions = adoptions;
        this.workloads = workloads;
        this.clusters = clusters;
        this.connections = connections;
        this.json = json;
        this.cache = cache;
        this.loop = new ClaimLoop<>(ReconcileKind.workload, WORKERS, claims, this, metrics);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        loop.start();
    }

    /** Reconciles due workloads now, e.g. after an operation or a watched change. */
    public void wake() {
        loop.wake();
    }

    /** An operator's operation was committed: act on it now rather than at the next poll. */
    @EventListener
    void onWorkloadsChanged(WorkloadsChanged event) {
        wake();
    }

    @PreDestroy
    void close() {
        loop.close();
    }

    @Override
    public String describe(Workload workload) {
        return clusters.findById(workload.clusterId())
                .map(cluster -> "workload=" + cluster.project() + "/" + cluster.name() + "/" + workload.name())
                .orElse("workload=" + workload.name() + " cluster-id=" + workload.clusterId());
    }

    @Override
    public void reconcile(Workload workload, String ref) {
        WorkloadState state = workload.state();
        Cluster cluster = clusters.findById(workload.clusterId()).orElseThrow(() -> new IllegalStateException("cluster is gone"));
        if (workload.deleteRequested()) {
            delete(ref, workload, cluster);
            return;
        }
        if (!cluster.phase().controlPlaneRuns()) {
            String why = "cluster " + cluster.name() + " is " + cluster.phase();
            finish(workload, whileAway(state), workload.stagedState(),
                    status(workload).withMessage(PENDING.contains(state) ? "waiting for " + why + " to be Running" : why),
                    workload.observedGeneration(), RETRY);
            return;
        }
        try (ClusterConnections.Connection tenant = connections.open(cluster)) {
            pass(ref, cluster, workload, state, tenant.client());
        }
    }

    /** A control plane that does not answer is an expected outage, not a failure of the workload. */
    @Override
    public void finishFailed(Workload workload, RuntimeException failure) {
        WorkloadState state = workload.state();
        if (controlPlaneUnreachable(failure)) {
            finish(workload, whileAway(state), workload.stagedState(), status(workload).withMessage(
                    "cannot reach the cluster's control plane, retrying: " + failure.getMessage()), workload.observedGeneration(), RETRY);
            return;
        }
        finish(workload, state, workload.stagedState(), status(workload).withMessage("reconcile failed, retrying: " + failure.getMessage()),
                workload.observedGeneration(), RETRY);
    }

    /** Queued operations stay queued; what ran is reported unreachable, as for a lost device. */
    private static WorkloadState whileAway(WorkloadState state) {
        return PENDING.contains(state) ? state : WorkloadStateMachine.live(state, WorkloadEvent.NODE_UNREACHABLE).orElse(state);
    }

    /** One pass against a reachable cluster: adopt, push, prepull, observe, status. */
    private void pass(String ref, Cluster cluster, Workload workload, WorkloadState state, KubernetesClient client) {
        Instant now = Instant.now();
        WorkloadSpec live = spec(workload.liveSpec());
        WorkloadSpec staged = spec(workload.stagedSpec());
        Set<String> targets = new TreeSet<>();
        Stream.of(live, staged).filter(Objects::nonNull).forEach(s -> targets.addAll(s.nodes()));
        TenantView view = cache.view(cluster.id(), client);
        Map<String, Node> nodes = view.nodes(targets);
        List<Pod> pods = view.workloadPods(workload.name());
        DeviceWorkloadsClient devices = new DeviceWorkloadsClient(client);
        // The targets' reports, and those of every device with local actions to decide (about this workload, or one the cluster lacks).
        Map<String, DeviceReport> reports = new HashMap<>();
        view.deviceWorkloads(targets).values().forEach(o -> DeviceReport.of(o).ifPresent(r -> reports.put(r.node(), r)));
        view.deviceWorkloadsWithActions().forEach(o -> DeviceReport.of(o).ifPresent(r -> reports.putIfAbsent(r.node(), r)));
        WorkloadApplier applier = new WorkloadApplier(client);
        List<String> warnings = new ArrayList<>();

        if (adoptions.adopt(cluster, workload, reports.values())) {   // step adopt: the workload changed, start over
            finish(workload, state, workload.stagedState(), status(workload), workload.observedGeneration(), Duration.ZERO);
            return;
        }

        List<String> away = live == null ? List.of() : live.nodes().stream()
                .map(n -> WorkloadObservation.unreachable(n, nodes.get(n), reports.get(n), now)).flatMap(Optional::stream).toList();
        long observedGeneration = workload.observedGeneration();
        List<GenericKubernetesResource> withEntry = view.deviceWorkloadsWithEntry(workload.name());
        Map<String, String> held = OnboardingGate.held(targets, view.deviceWorkloads(targets), nodesWithEntry(workload.name(), withEntry),
                reports);
        if (workload.generation() > observedGeneration && away.isEmpty()) {
            push(ref, workload, live, staged, targets, held, withEntry, devices, client);   // step push
            if (live != null) {
                state = WorkloadStateMachine.live(state, WorkloadEvent.PUSHED).orElse(state);
            }
            if (held.isEmpty()) {
                observedGeneration = workload.generation();   // else pushed again once a held device passes its check
            }
        }

        WorkloadState stagedState = workload.stagedState();
        WorkloadStatus.Staged stagedStatus = null;
        Map<String, Node> placeable = new HashMap<>(nodes);
        placeable.keySet().removeAll(held.keySet());
        prePull(ref, workload, staged, placeable, pods, applier);   // step prepull: not onto a device that has not passed its check
        if (staged != null) {
            WorkloadObservation.PrePull progress = WorkloadObservation.prePull(workload.name(), staged, nodes, pods);
            WorkloadState from = stagedState == null ? received : stagedState;
            stagedState = WorkloadStateMachine.staged(from, progress.event()).orElse(from);
            stagedStatus = new WorkloadStatus.Staged(progress.message(), progress.nodes());
        }

        String message = null;
        List<WorkloadStatus.NodeState> nodeStates = List.of();
        if (live != null) {   // step observe
            WorkloadObservation.Live observed = WorkloadObservation.live(workload.name(), live, workload.run(), nodes, reports, pods, now);
            state = WorkloadStateMachine.live(state, observed.event()).orElse(state);
            nodeStates = OnboardingGate.explain(observed.nodes(), held);
            message = PENDING.contains(state) && !away.isEmpty() ? "waiting for " + String.join(", ", away)
                    : OnboardingGate.onlyHeldOpen(nodeStates, held) ? String.join("; ", held.values()) : observed.message();
        }
        boolean moving = MOVING.contains(state) && away.isEmpty() && !OnboardingGate.onlyHeldOpen(nodeStates, held)
                || staged != null && stagedState != ready;
        finish(workload, state, stagedState, new WorkloadStatus(message, warnings, Instant.now(), nodeStates, stagedStatus,
                        adoptions.latest(workload)),
                observedGeneration, moving ? TRANSITIONAL : RESYNC);   // step status
        LOG.debug("{} step=status state={} staged={}", ref, state, stagedState);

        if (stagedState == ready && workload.stagedInstantlyApply() && workload.stagedRequest() != null) {
            long applied = claims.applyTogether(workload.stagedRequest());   // step apply
            if (applied > 0) {
                LOG.info("{} step=apply request={} workloads={}", ref, workload.stagedRequest(), applied);
                wake();
            }
        }
        adoptions.acknowledge(ref, cluster, reports.values(), devices);   // step acknowledge
    }

    /**
     * The workload's entry in the {@code DeviceWorkloads} of every target device (its agent writes
     * the static pods); devices that are no longer targets lose the entry. Deployments and
     * ConfigMaps of the time before device agents go.
     */
    private void push(String ref, Workload workload, WorkloadSpec live, WorkloadSpec staged, Set<String> targets, Map<String, String> held,
                      List<GenericKubernetesResource> withEntry, DeviceWorkloadsClient devices, KubernetesClient client) {
        // While devices are held the push repeats each pass: entries already at this generation are not written again.
        Map<String, Long> written = entryGenerations(workload.name(), withEntry);
        Set<String> writes = new TreeSet<>(targets);
        writes.removeAll(held.keySet());
        writes.removeIf(node -> !held.isEmpty() && Long.valueOf(workload.generation()).equals(written.get(node)));
        boolean repeat = !held.isEmpty() && writes.isEmpty();   // nothing new while only held devices remain: no writes, no log
        if (!repeat) {
            LOG.info("{} step=push generation={} version={} staged={} run={} devices={}{}", ref, workload.generation(),
                    live == null ? null : live.appVersion(), staged == null ? null : staged.appVersion(), workload.run(), writes,
                    held.isEmpty() ? "" : " waiting for the onboarding check of " + held.keySet());
            devices.ensureAccess(writes);
        }
        for (String node : writes) {
            devices.applyEntry(workload.name(), node,
                    DeviceWorkloadEntryBuilder.entry(workload.name(), workload.generation(), workload.run(), live, staged, node));
        }
        for (String node : nodesWithEntry(workload.name(), withEntry)) {
            if (!targets.contains(node)) {
                LOG.info("{} step=push removes the entry of device {}", ref, node);
                devices.removeEntry(workload.name(), node);
            }
        }
        if (!repeat) {
            removeObjectsBeforeAgents(workload, client);
        }
    }

    private static void removeObjectsBeforeAgents(Workload workload, KubernetesClient client) {
        client.apps().deployments().inNamespace(WorkloadPods.NAMESPACE).withLabel(WorkloadPods.WORKLOAD_LABEL, workload.name()).delete();
        client.configMaps().inNamespace(WorkloadPods.NAMESPACE).withLabel(WorkloadPods.WORKLOAD_LABEL, workload.name()).delete();
    }

    /** The generation of {@code workload}'s entry in each device's object that has one. */
    private static Map<String, Long> entryGenerations(String workload, List<GenericKubernetesResource> deviceObjects) {
        Map<String, Long> generations = new HashMap<>();
        for (GenericKubernetesResource object : deviceObjects) {
            DeviceWorkloadsResource.entryGeneration(object, workload).ifPresent(g -> generations.put(object.getMetadata().getName(), g));
        }
        return generations;
    }

    /** Devices whose object has an entry for {@code workload}. */
    private static Set<String> nodesWithEntry(String workload, List<GenericKubernetesResource> deviceObjects) {
        Set<String> nodes = new TreeSet<>();
        for (GenericKubernetesResource object : deviceObjects) {
            if (DeviceWorkloadsResource.entryNames(object).contains(workload)) {
                nodes.add(object.getMetadata().getName());
            }
        }
        return nodes;
    }

    /** Pre-pull pods of other versions go; the staged version gets one on every device that has joined. */
    private void prePull(String ref, Workload workload, WorkloadSpec staged, Map<String, Node> nodes, List<Pod> pods,
                                          WorkloadApplier applier) {
        String hash = staged == null ? null : WorkloadSpecs.hash(staged);
        for (Pod pod : pods) {
            String its = pod.getMetadata().getLabels().get(PrePullPodBuilder.PREPULL_LABEL);
            if (its != null && !its.equals(hash)) {
                LOG.info("{} step=prepull removes pod {}", ref, pod.getMetadata().getName());
                applier.delete(pod);
            }
        }
        if (staged == null) {
            return;
        }
        boolean namespace = false;
        for (String node : staged.nodes()) {
            Pod pod = PrePullPodBuilder.build(workload.name(), staged, node);
            boolean exists = pods.stream().anyMatch(p -> p.getMetadata().getName().equals(pod.getMetadata().getName()));
            if (!exists && nodes.containsKey(node)) {
                if (!namespace) {
                    applier.apply(WorkloadNamespaceBuilder.build());
                    namespace = true;
                }
                LOG.info("{} step=prepull node={} images={}", ref, node, staged.images());
                applier.createIfAbsent(pod);
            }
        }
    }

    /** Every object of the workload in the cluster (if it ever ran): its device entries and pre-pull pods; then the row. */
    private void delete(String ref, Workload workload, Cluster cluster) {
        LOG.info("{} step=delete", ref);
        if (cluster.observedGeneration() > 0 && !cluster.deleteRequested() && cluster.pki() != null) {
            try (ClusterConnections.Connection tenant = connections.open(cluster)) {
                KubernetesClient client = tenant.client();
                DeviceWorkloadsClient devices = new DeviceWorkloadsClient(client);
                for (String node : nodesWithEntry(workload.name(), devices.list())) {
                    devices.removeEntry(workload.name(), node);
                }
                client.pods().inNamespace(WorkloadPods.NAMESPACE).withLabel(WorkloadPods.WORKLOAD_LABEL, workload.name())
                        .withLabel(PrePullPodBuilder.PREPULL_LABEL).delete();
                removeObjectsBeforeAgents(workload, client);
            }
        }
        workloads.deleteById(workload.id());
        LOG.info("{} deleted", ref);
    }

    private void finish(Workload workload, WorkloadState state, WorkloadState stagedState, WorkloadStatus status, long observedGeneration,
                        Duration next) {
        Instant now = WorkloadClaims.now();
        workloads.finishReconcile(workload.id(), claims.owner(), workload.generation(), state.name(), stagedState == null ? null : stagedState.name(), json.write(status),
                observedGeneration, now.plus(next), now);
    }

    /** The apiserver did not answer at all (refused, timed out), as opposed to answering with an error. */
    static boolean controlPlaneUnreachable(Throwable e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause()) {
            if (cause instanceof java.net.SocketException || cause instanceof java.net.SocketTimeoutException
                    || cause instanceof java.net.http.HttpTimeoutException) {
                return true;
            }
        }
        return false;
    }

    private WorkloadSpec spec(String text) {
        return text == null || text.isBlank() ? null : json.spec(text);
    }

    /** The stored status; one that cannot be read does not stop the reconcile, which writes a fresh one. */
    private WorkloadStatus status(Workload workload) {
        try {
            return json.status(workload);
        } catch (RuntimeException e) {
            return WorkloadStatus.empty();
        }
    }

}
