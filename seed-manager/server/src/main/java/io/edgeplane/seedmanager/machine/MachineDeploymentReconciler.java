package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.cluster.tenant.TenantCache;
import io.edgeplane.seedmanager.cluster.tenant.TenantKinds;
import io.edgeplane.seedmanager.cluster.tenant.TenantView;
import io.edgeplane.seedmanager.metrics.ReconcileMetrics;
import io.edgeplane.seedmanager.metrics.SshDeliveryMetrics;
import io.edgeplane.seedmanager.metrics.SshDeliveryMetrics.Operation;
import io.edgeplane.seedmanager.metrics.SshDeliveryMetrics.Result;
import io.edgeplane.seedmanager.podnetwork.PodNetworkRelay;
import io.edgeplane.seedmanager.reconcile.ClaimLoop;
import io.edgeplane.seedmanager.reconcile.ReconcileKind;
import io.edgeplane.seedmanager.reconcile.Reconciler;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsClient;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.micronaut.context.annotation.Context;
import io.micronaut.context.event.StartupEvent;
import io.edgeplane.seedmanager.binaries.BinariesReady;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;

/**
 * Drives every MachineDeployment in named steps: deprovision | deliver (SSH, when asked) ->
 * observe (node, heartbeat, serving CSRs, links) -> status. Workers claim devices from PostgreSQL, so an
 * SSH delivery of one device never holds up the others, and replicas never deliver twice.
 * <p>
 * Observing reads the cluster's cached view ({@link TenantCache}), so an idle pass costs no request.
 * A device is passed when something it shows changes (the watches wake it, also when its agent's
 * report turns stale), when something time-based comes due ({@link MachineSchedule}), and otherwise
 * every {@link MachineSchedule#RESYNC}:
 * the heartbeat its status shows therefore lags the kubelet's Lease by up to that long. A pass that
 * observes nothing new writes no status, only its schedule.
 */
@Context
public class MachineDeploymentReconciler implements Reconciler<MachineDeployment> {
    private static final Logger LOG = LoggerFactory.getLogger(MachineDeploymentReconciler.class);
    private static final int WORKERS = 4;
    private static final Duration RETRY = Duration.ofSeconds(5);

    private final MachineClaims claims;
    private final MachineDeploymentRepository machines;
    private final ClusterRepository clusters;
    private final ClusterConnections connections;
    private final MachineJson json;
    private final MachineDelivery delivery;
    private final BootstrapTokens tokens;
    private final DeviceTunnelTokens tunnelTokens;
    private final SshDeliveryMetrics deliveries;
    private final PodRanges podRanges;
    private final PodNetworkRelay relay;
    private final TenantCache cache;
    private final OnboardingRequests onboarding;
    private final ClaimLoop<MachineDeployment> loop;

    public MachineDeploymentReconciler(MachineClaims claims, MachineDeploymentRepository machines, ClusterRepository clusters,
                                       ClusterConnections connections, MachineJson json, MachineDelivery delivery, BootstrapTokens tokens,
                                       DeviceTunnelTokens tunnelTokens, ReconcileMetrics metrics, SshDeliveryMetrics deliveries,
                                       PodRanges podRanges, PodNetworkRelay relay, TenantCache cache, OnboardingRequests onboarding) {
        this.tunnelTokens = tunnelTokens;
        this.claims = claims;
        this.machines = machines;
        this.clusters = clusters;
        this.connections = connections;
        this.json = json;
        this.delivery = delivery;
        this.tokens = tokens;
        this.deliveries = deliveries;
        this.podRanges = podRanges;
        this.relay = relay;
        this.cache = cache;
        this.onboarding = onboarding;
        this.loop = new ClaimLoop<>(ReconcileKind.machine, WORKERS, claims, this, metrics);
    }

    @EventListener
    void onStartup(StartupEvent event) {
        loop.start();
    }

    public void wake() {
        loop.wake();
    }

    /** A delivery that waited for a kubelet goes on as soon as it is prepared. */
    @EventListener
    void onBinariesReady(BinariesReady event) {
        loop.wake();
    }

    @PreDestroy
    void close() {
        loop.close();
    }

    @Override
    public String describe(MachineDeployment machine) {
        return clusters.findById(machine.clusterId())
                .map(cluster -> "machine=" + cluster.project() + "/" + cluster.name() + "/" + machine.name())
                .orElse("machine=" + machine.name() + " cluster-id=" + machine.clusterId());
    }

    @Override
    public void reconcile(MachineDeployment machine, String ref) {
        MachineStatus previous = json.status(machine);
        Cluster cluster = clusters.findById(machine.clusterId()).orElseThrow(() -> new IllegalStateException("cluster is gone"));
        if (machine.deleteRequested()) {
            deprovision(ref, machine, cluster);
            return;
        }
        String podCidr = podRanges.ensure(machine, cluster);   // step pod-range: a device registered before ranges existed gets its own
        if (!cluster.phase().controlPlaneRuns()) {
            finish(machine, machine.phase(), previous.withMessage("waiting for cluster " + cluster.name()
                    + " to be Running (it is " + cluster.phase() + ")"), machine.provisionDone(), retry());
            return;
        }
        long done = machine.provisionDone();
        MachineStatus status = previous;
        MachinePhase phase = machine.phase();
        if (machine.provisionRequested() > machine.provisionDone() && machine.ssh() != null) {
            LOG.info("{} step=deliver attempt={}", ref, machine.provisionRequested());
            claims.extend(machine, delivery.maxDuration());
            Optional<String> failure = delivery.provision(machine, cluster);   // step deliver
            deliveries.delivered(Operation.provision, failure.isPresent() ? Result.failed : Result.succeeded);
            done = machine.provisionRequested();
            status = status.withMessage(failure.orElse(null));
            phase = failure.isPresent() ? MachinePhase.Failed : MachinePhase.Joined;
        }
        Instant next;
        try (ClusterConnections.Connection tenant = connections.open(cluster)) {
            TenantView view = cache.view(cluster.id(), tenant.client());
            NodeObservation.Observed observed = NodeObservation.observe(view, machine.name(), status, phase);   // step observe
            status = observed.status();
            if (observed.phase().isPresent()) {
                phase = observed.phase().get();
            } else if (phase != MachinePhase.Failed && phase != MachinePhase.Provisioning) {
                phase = MachinePhase.Pending;
            }
            DeviceWorkloadsClient devices = new DeviceWorkloadsClient(tenant.client());
            if (phase != machine.phase() && (phase == MachinePhase.Joined || phase == MachinePhase.Ready)) {
                devices.ensureDevice(machine.name());   // step device-access: its agent may read its workloads and report
                NodePodCidr.ensure(tenant.client(), machine.name(), podCidr);   // step node-pod-cidr: the node registered with its range
            }
            boolean tunnels = connections.tunnels();
            boolean podNetwork = relay.endpoint(cluster).isPresent();
            Instant now = Instant.now();
            Optional<Instant> staleAt = Optional.empty();
            Optional<Instant> renewal = Optional.empty();
            if (observed.nodeUid().isPresent()) {
                String uid = observed.nodeUid().get();
                if (tunnels && tunnelTokens.ensure(ref, tenant, cluster.id(), machine.name(), uid, now)) {   // step tunnel-token
                    devices.ensureDevice(machine.name());   // a device from before tunnels gets the right to read its token
                }
                if (tunnels) {
                    renewal = tunnelTokens.renewal(cluster.id(), machine.name(), uid);
                }
                // One read of the device's report for its links and its onboarding check.
                Optional<GenericKubernetesResource> object = view.deviceWorkloads(machine.name());
                DeviceLinkObservation links = DeviceLinkObservation.of(object, now);
                if (!cache.cached(cluster.id(), TenantKinds.DEVICE_WORKLOADS) && (tunnels || podNetwork)) {
                    staleAt = links.staleAt();   // while the reports are watched, DeviceLinkWatches notices one turning stale
                }
                if (tunnels) {
                    status = status.withTunnel(links.tunnel());   // step tunnel
                }
                if (podNetwork) {
                    status = status.withPodNetwork(links.podNetwork());   // step pod-network
                }
                OnboardingConditions.Evaluated checked = OnboardingConditions.evaluate(machine.onboardingRequest(), links.onboarding(),
                        status.servingCertificate(), tunnels ? status.tunnel() : null, previous, now);   // step onboarding
                status = status.withOnboarding(checked.conditions(), checked.onboarded());
                if (checked.onboarded() != null && previous.onboarded() == null) {
                    LOG.info("{} step=onboarding passed request={}", ref, checked.onboarded());
                }
                onboarding.ensure(devices, machine.name(), object, onboarding.spec(cluster, machine.onboardingRequest()), checked.onboarded());
            }
            if (!podNetwork) {
                status = status.withPodNetwork(null);   // a relay turned off leaves no stale state behind
            }
            next = MachineSchedule.next(now, List.of(staleAt, renewal));
        }
        finish(machine, phase, status, done, next);   // step status
        LOG.debug("{} step=status phase={} next={}", ref, phase, next);
    }

    /** The phase stays; the failure is the message. */
    @Override
    public void finishFailed(MachineDeployment machine, RuntimeException failure) {
        finish(machine, machine.phase(), json.status(machine).withMessage(failure.getMessage()),
                machine.provisionDone(), retry());
    }

    /** Best effort on the device (it may be gone for good), then certain in the cluster, then the row. */
    private void deprovision(String ref, MachineDeployment machine, Cluster cluster) {
        LOG.info("{} step=deprovision", ref);
        if (machine.ssh() != null) {
            claims.extend(machine, delivery.maxDuration());
            Optional<String> failure = delivery.deprovision(machine);
            deliveries.delivered(Operation.deprovision, failure.isPresent() ? Result.failed : Result.succeeded);
            failure.ifPresent(f -> LOG.warn("{} deprovision script: {}", ref, f));
        }
        // A cluster that never ran has no node or token of this device; one being deleted takes them along.
        if (cluster.observedGeneration() > 0 && !cluster.deleteRequested()) {
            try (ClusterConnections.Connection tenant = connections.open(cluster)) {
                RemovedNodes.remove(tenant, machine.name());
                new DeviceWorkloadsClient(tenant.client()).removeDevice(machine.name());
                tokens.revokeAll(machine, tenant);
                tunnelTokens.forget(cluster.id(), machine.name());
                tenant.client().nodes().withName(machine.name()).delete();
            }
        }
        machines.deleteById(machine.id());
        LOG.info("{} deprovisioned", ref);
    }

    private static Instant retry() {
        return Instant.now().plus(RETRY);
    }

    /** Writes what the pass observed; a status, phase and progress as they were are not written again, only the schedule. */
    private void finish(MachineDeployment machine, MachinePhase phase, MachineStatus status, long provisionDone, Instant next) {
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Instant due = next.truncatedTo(ChronoUnit.MICROS);
        String written = json.write(status);
        if (phase == machine.phase() && written.equals(machine.status()) && provisionDone == machine.provisionDone()
                && machine.observedGeneration() == machine.generation()) {
            machines.finishUnchanged(machine.id(), claims.owner(), machine.generation(), due, now);
            return;
        }
        machines.finishReconcile(machine.id(), claims.owner(), machine.generation(), phase.name(), written,
                machine.generation(), provisionDone, due, now);
    }
}
