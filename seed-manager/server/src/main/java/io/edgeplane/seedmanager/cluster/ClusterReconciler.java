package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.binaries.BinariesPhase;
import io.edgeplane.seedmanager.binaries.BinariesPreparations;
import io.edgeplane.seedmanager.binaries.BinariesReady;
import io.edgeplane.seedmanager.binaries.BinariesStatus;
import io.edgeplane.seedmanager.binaries.Platform;
import io.edgeplane.seedmanager.cluster.ClusterStatus.ComponentCondition;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneId;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.edgeplane.seedmanager.cluster.encryption.EncryptionKeyRotator;
import io.edgeplane.seedmanager.metrics.ReconcileMetrics;
import io.edgeplane.seedmanager.reconcile.ClaimLoop;
import io.edgeplane.seedmanager.reconcile.ReconcileKind;
import io.edgeplane.seedmanager.reconcile.Reconciler;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;

/**
 * Drives every cluster towards its desired state in named steps:
 * delete | pki -> ports -> binaries -> runtime -> readiness -> services -> encryption-key-rotation -> status.
 * Each step is idempotent, so a crash at any point is healed by the next pass; a periodic resync
 * notices components that died.
 */
@Context
public class ClusterReconciler implements Reconciler<Cluster> {
    private static final Logger LOG = LoggerFactory.getLogger(ClusterReconciler.class);
    private static final Duration RESYNC = Duration.ofSeconds(15);
    private static final Duration RETRY = Duration.ofSeconds(2);
    private static final Duration MAX_RETRY = Duration.ofMinutes(5);
    /** How often a cluster waiting for its binaries shows fresh progress (it is also woken when they are ready). */
    private static final Duration BINARIES_POLL = Duration.ofSeconds(5);

    private final ClusterClaims claims;
    private final ClusterRepository clusters;
    private final ClusterStatusCodec codec;
    private final ClusterTargets targets;
    private final ControlPlaneRuntime runtime;
    private final BinariesPreparations binaries;
    private final TenantClients tenantClients;
    private final EncryptionKeyRotator rotator;
    private final Duration failureTimeout;
    private final ClaimLoop<Cluster> loop;

    public ClusterReconciler(ClusterClaims claims, ClusterRepository clusters, ClusterStatusCodec codec,
                             ClusterTargets targets, ControlPlaneRuntime runtime, BinariesPreparations binaries, TenantClients tenantClients,
                             EncryptionKeyRotator rotator,
                             @Value("${edgeplane.cluster.failure-timeout:10m}") Duration failureTimeout, ReconcileMetrics metrics) {
        this.failureTimeout = failureTimeout;
        this.claims = claims;
        this.clusters = clusters;
        this.codec = codec;
        this.targets = targets;
        this.runtime = runtime;
        this.binaries = binaries;
        this.tenantClients = tenantClients;
        this.rotator = rotator;
        this.loop = new ClaimLoop<>(ReconcileKind.cluster, 1, claims, this, metrics);
    }

    /**
     * Starts reconciling once the whole service is up: a service that fails to start must not leave
     * a loop behind that keeps reaching for the database (and so restarts an embedded server).
     */
    @EventListener
    void onStartup(StartupEvent event) {
        loop.start();
    }

    /** Reconcile due clusters now rather than at the next tick. */
    public void wake() {
        loop.wake();
    }

    /** Clusters waiting for binaries go on as soon as they are there. */
    @EventListener
    void onBinariesReady(BinariesReady event) {
        loop.wake();
    }

    @PreDestroy
    void close() {
        loop.close();
    }

    @Override
    public String describe(Cluster cluster) {
        return cluster.ref();
    }

    @Override
    public void reconcile(Cluster cluster, String ref) {
        if (cluster.deleteRequested()) {
            LOG.info("{} step=delete", ref);
            runtime.delete(new ControlPlaneId(cluster.id(), cluster.project(), cluster.name()));
            clusters.deleteById(cluster.id());
            tenantClients.forget(cluster.id());
            LOG.info("{} deleted", ref);
            return;
        }
        ControlPlaneTarget target = targets.ensure(cluster);           // steps pki, ports
        List<ComponentCondition> conditions = new ArrayList<>();
        if (runtime.hostNeeds().binaries()) {
            BinariesStatus needed = binaries.ensure(Platform.ofSeed(cluster.version()));   // step binaries
            if (!needed.ready()) {
                awaitBinaries(cluster, target, needed);
                return;
            }
            conditions.add(new ComponentCondition("binaries", true, "Prepared", needed.describe(now()), now()));
        }
        conditions.addAll(runtime.ensure(target));                     // step runtime
        String endpoint = runtime.endpoint(target);
        ComponentCondition readiness = readiness(target, endpoint);    // step readiness
        conditions.add(readiness);
        boolean ready = conditions.stream().allMatch(ComponentCondition::ready);
        EncryptionKeyRotator.Outcome rotation = new EncryptionKeyRotator.Outcome(false, target.pki().encryptionKeys());
        if (ready) {                                                   // step services
            TenantClusterServices.ensure(tenantClients.get(cluster, c -> TenantClients.mint(target, endpoint)).client(),
                    runtime.unpublishedApiServer(target));
            rotation = rotator.advance(cluster, target,                // step encryption-key-rotation
                    () -> tenantClients.get(cluster, c -> TenantClients.mint(target, endpoint)).client());
        }
        String message = ready ? null : firstProblem(conditions);
        ClusterStatus status = new ClusterStatus(conditions, endpoint, target.pki().expiries(), message,
                ready ? null : notReadySince(cluster), names(rotation.keys()));
        ClusterPhase phase = ready ? ClusterPhase.Running : phaseWhileNotReady(cluster, status);
        finish(cluster, phase, status, ready ? cluster.generation() : cluster.observedGeneration(),
                ready ? (rotation.underWay() ? EncryptionKeyRotator.POLL : RESYNC) : retry(status));
        LOG.info("{} step=status phase={} generation={}{}", ref, phase, cluster.generation(), ready ? "" : " waiting: " + message);
    }

    /** What was observed stays; the failure is the message, and the failure clock runs on. */
    @Override
    public void finishFailed(Cluster cluster, RuntimeException failure) {
        ClusterStatus previous = codec.read(cluster.status());
        ClusterStatus status = new ClusterStatus(previous.conditions(), previous.endpoint(), previous.certificateExpiry(),
                failure.getMessage() != null ? failure.getMessage() : failure.toString(), notReadySince(cluster),
                previous.encryptionKeys());
        finish(cluster, phaseWhileNotReady(cluster, status), status, cluster.observedGeneration(), retry(status));
    }

    /**
     * The control plane cannot start before its binaries are there. Time spent preparing them does
     * not count towards Failed (a first Go build takes longer than the failure timeout); once an
     * attempt has failed, the clock runs, so a cluster whose binaries cannot be had ends Failed with
     * the reason while the preparation keeps retrying.
     */
    private void awaitBinaries(Cluster cluster, ControlPlaneTarget target, BinariesStatus needed) {
        boolean failedBefore = needed.phase() == BinariesPhase.Failed || needed.attempts() > 1;
        ComponentCondition condition = new ComponentCondition("binaries", false,
                needed.phase() == BinariesPhase.Failed ? "BinariesFailed" : "PreparingBinaries", needed.describe(now()), now());
        ClusterStatus previous = codec.read(cluster.status());
        List<ComponentCondition> conditions = new ArrayList<>(List.of(condition));
        previous.conditions().stream().filter(c -> !c.component().equals("binaries")).forEach(conditions::add);
        ClusterStatus status = new ClusterStatus(conditions, runtime.endpoint(target), target.pki().expiries(),
                "binaries: " + condition.message(), failedBefore ? notReadySince(cluster) : null, names(target.pki().encryptionKeys()));
        finish(cluster, phaseWhileNotReady(cluster, status), status, cluster.observedGeneration(), BINARIES_POLL);
        LOG.debug("cluster={}/{} step=binaries {}", cluster.project(), cluster.name(), condition.message());
    }

    private ClusterPhase phaseWhileNotReady(Cluster cluster, ClusterStatus status) {
        return phaseWhileNotReady(cluster, status, now(), failureTimeout);
    }

    /**
     * Not converging for longer than the failure timeout is Failed: the operator must look (the
     * message says why) while retries go on with backoff. Before that a cluster being deleted is
     * Deleting, a first creation Creating, an upgrade Updating, and a running cluster that lost a
     * component stays Running with conditions.
     */
    static ClusterPhase phaseWhileNotReady(Cluster cluster, ClusterStatus status, Instant now, Duration failureTimeout) {
        if (status.notReadySince() != null && Duration.between(status.notReadySince(), now).compareTo(failureTimeout) > 0) {
            return ClusterPhase.Failed;
        }
        if (cluster.deleteRequested()) {
            return ClusterPhase.Deleting;
        }
        if (cluster.generation() == 1 && cluster.observedGeneration() == 0) {
            return ClusterPhase.Creating;
        }
        return cluster.observedGeneration() < cluster.generation() ? ClusterPhase.Updating : ClusterPhase.Running;
    }

    /** Retries slow down the longer a cluster has not converged: a tenth of that time, 2 s to 5 min. */
    static Duration retry(ClusterStatus status) {
        Duration tenth = Duration.between(status.notReadySince(), now()).dividedBy(10);
        return tenth.compareTo(RETRY) < 0 ? RETRY : tenth.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : tenth;
    }

    private Instant notReadySince(Cluster cluster) {
        Instant since = codec.read(cluster.status()).notReadySince();
        return since != null ? since : now();
    }

    private static List<String> names(EncryptionKeys keys) {
        return keys.keys().stream().map(EncryptionKeys.Key::name).toList();
    }

    private static String firstProblem(List<ComponentCondition> conditions) {
        return conditions.stream().filter(c -> !c.ready())
                .map(c -> c.component() + ": " + (c.message() != null ? c.message() : c.reason()))
                .findFirst().orElse(null);
    }

    private static ComponentCondition readiness(ControlPlaneTarget target, String endpoint) {
        var client = target.pki().issueClient("edgeplane:seed-manager", List.of("system:masters"), Duration.ofMinutes(10));
        String reason = ApiServerProbe.notReadyReason(endpoint, target.pki().certificatePem("ca"), client.certificatePem(), client.privateKeyPem());
        return new ComponentCondition("readiness", reason == null, reason == null ? "Ready" : "NotReady", reason, now());
    }

    private void finish(Cluster cluster, ClusterPhase phase, ClusterStatus status, long observedGeneration, Duration next) {
        // A change that arrived meanwhile (new generation) keeps its phase and is reconciled at once.
        clusters.finishReconcile(cluster.id(), claims.owner(), cluster.generation(), phase.name(), codec.write(status), observedGeneration,
                now().plus(next), now());
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
