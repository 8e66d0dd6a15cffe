package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterPhase;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.persistence.JsonColumns;
import io.edgeplane.seedmanager.metrics.ReconcileMetrics;
import io.edgeplane.seedmanager.reconcile.ClaimLoop;
import io.edgeplane.seedmanager.reconcile.ReconcileKind;
import io.edgeplane.seedmanager.reconcile.Reconciler;
import io.edgeplane.seedmanager.workload.kube.PrePullPodBuilder;
import io.edgeplane.seedmanager.workload.kube.WorkloadApplier;
import io.edgeplane.seedmanager.workload.kube.WorkloadConfigMapBuilder;
import io.edgeplane.seedmanager.workload.kube.WorkloadDeploymentBuilder;
import io.edgeplane.seedmanager.workload.kube.WorkloadNamespaceBuilder;
import io.edgeplane.seedmanager.workload.kube.WorkloadObservation;
import io.edgeplane.seedmanager.workload.kube.WorkloadPods;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.core.type.Argument;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.stream.Collectors;

import static io.edgeplane.seedmanager.workload.WorkloadState.*;

/**
 * Carries every workload out in its tenant cluster, in named steps: delete (every object, then the
 * row) | wait (cluster or devices away) -> push (namespace, ConfigMap, a Deployment per device) ->
 * prepull (the staged version's images, then the request's staged versions applied together) ->
 * observe (pods and nodes give the state) -> status. Workers claim rows from PostgreSQL, so
 * replicas never work on one workload at once; an operation made during a pass wins over it.
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
    private final JsonColumns json;
    private final ClaimLoop<Workload> loop;

    public WorkloadReconciler(WorkloadClaims claims, WorkloadReconcileRepository workloads, ClusterRepository clusters,
                              ClusterConnections connections, JsonColumns json, ReconcileMetrics metrics) {
        this.claims = claims;
        this.workloads = workloads;
        this.clusters = clusters;
        this.connections = connections;
        this.json = json;
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
            pass(ref, workload, state, tenant.client());
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

    /** One pass against a reachable cluster: push, prepull, observe, status. */
    private void pass(String ref, Workload workload, WorkloadState state, KubernetesClient client) {
        WorkloadSpec live = spec(workload.liveSpec());
        WorkloadSpec staged = spec(workload.stagedSpec());
        Map<String, Node> nodes = client.nodes().list().getItems().stream()
                .collect(Collectors.toMap(n -> n.getMetadata().getName(), Function.identity()));
        List<Pod> pods = client.pods().inNamespace(WorkloadPods.NAMESPACE).withLabel(WorkloadPods.WORKLOAD_LABEL, workload.name())
                .list().getItems();
        List<Deployment> deployments = client.apps().deployments().inNamespace(WorkloadPods.NAMESPACE)
                .withLabel(WorkloadPods.WORKLOAD_LABEL, workload.name()).list().getItems();
        WorkloadApplier applier = new WorkloadApplier(client);
        List<String> warnings = new ArrayList<>();

        List<String> away = live == null ? List.of() : live.nodes().stream()
                .map(n -> WorkloadObservation.unreachable(n, nodes.get(n))).flatMap(Optional::stream).toList();
        long observedGeneration = workload.observedGeneration();
        if (workload.generation() > observedGeneration) {
            if (live == null) {
                observedGeneration = workload.generation();   // only the staged version changed: nothing to push
            } else if (away.isEmpty()) {
                push(ref, workload, live, pods, deployments, applier);   // step push
                state = WorkloadStateMachine.live(state, WorkloadEvent.PUSHED).orElse(state);
                observedGeneration = workload.generation();
            }
        }
        if (live != null && observedGeneration == workload.generation()) {
            removeOldConfigMaps(ref, workload, live, pods, client);
            Set<String> imported = WorkloadObservation.servedByStaticPods(workload.name(), WorkloadSpecs.hash(live), pods);
            imported.forEach(node -> warnings.add("device " + node + " runs the version imported from an offline bundle (static pod)"));
            handOver(ref, imported, deployments, applier);   // step handover
        }

        WorkloadState stagedState = workload.stagedState();
        WorkloadStatus.Staged stagedStatus = null;
        prePull(ref, workload, staged, nodes, pods, applier);   // step prepull
        if (staged != null) {
            WorkloadObservation.PrePull progress = WorkloadObservation.prePull(workload.name(), staged, nodes, pods);
            WorkloadState from = stagedState == null ? received : stagedState;
            stagedState = WorkloadStateMachine.staged(from, progress.event()).orElse(from);
            stagedStatus = new WorkloadStatus.Staged(progress.message(), progress.nodes());
        }

        String message = null;
        List<WorkloadStatus.NodeState> nodeStates = List.of();
        if (live != null) {   // step observe
            WorkloadObservation.Live observed = WorkloadObservation.live(workload.name(), live, workload.run(), nodes, deployments, pods);
            state = WorkloadStateMachine.live(state, observed.event()).orElse(state);
            nodeStates = observed.nodes();
            message = PENDING.contains(state) && !away.isEmpty() ? "waiting for " + String.join(", ", away) : observed.message();
        }
        boolean moving = MOVING.contains(state) && away.isEmpty() || staged != null && stagedState != ready;
        finish(workload, state, stagedState, new WorkloadStatus(message, warnings, Instant.now(), nodeStates, stagedStatus),
                observedGeneration, moving ? TRANSITIONAL : RESYNC);   // step status
        LOG.debug("{} step=status state={} staged={}", ref, state, stagedState);

        if (stagedState == ready && workload.stagedInstantlyApply() && workload.stagedRequest() != null) {
            long applied = claims.applyTogether(workload.stagedRequest());   // step apply
            if (applied > 0) {
                LOG.info("{} step=apply request={} workloads={}", ref, workload.stagedRequest(), applied);
                wake();
            }
        }
    }

    /** Namespace, this version's ConfigMap, a Deployment per device not served by an imported static pod; Deployments of other devices go. */
    private void push(String ref, Workload workload, WorkloadSpec live, List<Pod> pods, List<Deployment> deployments, WorkloadApplier applier) {
        String hash = WorkloadSpecs.hash(live);
        LOG.info("{} step=push generation={} version={} hash={} run={}", ref, workload.generation(), live.appVersion(), hash, workload.run());
        applier.apply(WorkloadNamespaceBuilder.build());
        applier.apply(WorkloadConfigMapBuilder.build(workload.name(), live));
        Set<String> imported = WorkloadObservation.servedByStaticPods(workload.name(), hash, pods);
        for (String node : live.nodes()) {
            if (!imported.contains(node)) {
                applier.apply(WorkloadDeploymentBuilder.build(workload.name(), live, node, workload.run()));
            }
        }
        for (Deployment deployment : deployments) {
            String node = deployment.getMetadata().getLabels().get(WorkloadPods.NODE_LABEL);
            if (!live.nodes().contains(node) || imported.contains(node)) {
                LOG.info("{} step=push removes deployment {}", ref, deployment.getMetadata().getName());
                applier.delete(deployment);
            }
        }
    }

    /**
     * A device that reconnects may show its imported static pod only after the pending deploy was
     * pushed (the kubelet creates mirror pods at its next sync): the static pod wins, and the
     * Deployment for that device goes.
     */
    private static void handOver(String ref, Set<String> imported, List<Deployment> deployments, WorkloadApplier applier) {
        for (Deployment deployment : deployments) {
            String node = deployment.getMetadata().getLabels().get(WorkloadPods.NODE_LABEL);
            if (imported.contains(node) && deployment.getMetadata().getDeletionTimestamp() == null) {
                LOG.info("{} step=handover device {} runs the imported static pod; removes deployment {}", ref, node,
                        deployment.getMetadata().getName());
                applier.delete(deployment);
            }
        }
    }

    /** ConfigMaps of other versions go once no pod of the workload uses them (the new pods are up, or nothing runs). */
    private void removeOldConfigMaps(String ref, Workload workload, WorkloadSpec live, List<Pod> pods, KubernetesClient client) {
        String hash = WorkloadSpecs.hash(live);
        Set<String> inUse = pods.stream().map(p -> p.getMetadata().getAnnotations())
                .filter(a -> a != null && a.containsKey(WorkloadPods.SPEC_HASH_ANNOTATION))
                .map(a -> a.get(WorkloadPods.SPEC_HASH_ANNOTATION)).collect(Collectors.toSet());
        for (ConfigMap config : client.configMaps().inNamespace(WorkloadPods.NAMESPACE)
                .withLabel(WorkloadPods.WORKLOAD_LABEL, workload.name()).list().getItems()) {
            String its = config.getMetadata().getAnnotations() == null ? null : config.getMetadata().getAnnotations().get(WorkloadPods.SPEC_HASH_ANNOTATION);
            if (!hash.equals(its) && !inUse.contains(its)) {
                LOG.info("{} step=push removes configmap {}", ref, config.getMetadata().getName());
                client.resource(config).delete();
            }
        }
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

    /** Every object of the workload in the cluster (if it ever ran), then the row. */
    private void delete(String ref, Workload workload, Cluster cluster) {
        LOG.info("{} step=delete", ref);
        if (cluster.observedGeneration() > 0 && !cluster.deleteRequested() && cluster.pki() != null) {
            try (ClusterConnections.Connection tenant = connections.open(cluster)) {
                KubernetesClient client = tenant.client();
                client.apps().deployments().inNamespace(WorkloadPods.NAMESPACE).withLabel(WorkloadPods.WORKLOAD_LABEL, workload.name()).delete();
                client.pods().inNamespace(WorkloadPods.NAMESPACE).withLabel(WorkloadPods.WORKLOAD_LABEL, workload.name())
                        .withLabel(PrePullPodBuilder.PREPULL_LABEL).delete();
                client.configMaps().inNamespace(WorkloadPods.NAMESPACE).withLabel(WorkloadPods.WORKLOAD_LABEL, workload.name()).delete();
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
        return text == null || text.isBlank() ? null : json.read(text, Argument.of(WorkloadSpec.class));
    }

    private WorkloadStatus status(Workload workload) {
        if (workload.status() == null || workload.status().isBlank() || workload.status().equals("{}")) {
            return WorkloadStatus.empty();
        }
        try {
            WorkloadStatus status = json.read(workload.status(), Argument.of(WorkloadStatus.class));
            return new WorkloadStatus(status.message(), status.warnings() == null ? List.of() : status.warnings(), status.lastSeen(),
                    status.nodes() == null ? List.of() : status.nodes(), status.staged());
        } catch (RuntimeException e) {
            return WorkloadStatus.empty();
        }
    }

}
