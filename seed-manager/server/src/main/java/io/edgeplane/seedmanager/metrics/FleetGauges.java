package io.edgeplane.seedmanager.metrics;

import io.edgeplane.seedmanager.cluster.ClusterPhase;
import io.edgeplane.seedmanager.machine.MachinePhase;
import io.edgeplane.seedmanager.reconcile.ReconcileKind;
import io.edgeplane.seedmanager.workload.WorkloadState;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micronaut.context.BeanProvider;
import io.micronaut.context.annotation.Context;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;

/**
 * Clusters, devices and workloads by phase or state, and due rows per kind, as gauges. Every
 * phase is shown (zero when empty) so alerts and dashboards need no absent() guards. A scrape reads
 * the counts taken at most {@link #MAX_AGE} ago, so however many gauges and scrapers there are, the
 * database answers two grouped queries per that interval.
 */
@Context
public class FleetGauges {
    private static final Logger LOG = LoggerFactory.getLogger(FleetGauges.class);
    static final Duration MAX_AGE = Duration.ofSeconds(10);

    private final BeanProvider<FleetCounts> counts;
    private volatile FleetCounts.Snapshot snapshot = FleetCounts.Snapshot.empty();

    /** @param counts looked up at the first scrape, so that registering the gauges does not open the database */
    public FleetGauges(MeterRegistry registry, BeanProvider<FleetCounts> counts) {
        this.counts = counts;
        register(registry);
    }

    private void register(MeterRegistry registry) {
        for (ClusterPhase phase : ClusterPhase.values()) {
            phaseGauge(registry, MetricNames.CLUSTERS, "Clusters by phase", "phase", ReconcileKind.cluster, phase.name());
        }
        for (MachinePhase phase : MachinePhase.values()) {
            phaseGauge(registry, MetricNames.DEVICES, "Devices (MachineDeployments) by phase", "phase", ReconcileKind.machine, phase.name());
        }
        for (WorkloadState state : WorkloadState.values()) {
            phaseGauge(registry, MetricNames.WORKLOADS, "Workloads by state", "state", ReconcileKind.workload, state.name());
        }
        for (ReconcileKind kind : ReconcileKind.values()) {
            Gauge.builder(MetricNames.RECONCILE_DUE_ROWS, this, g -> g.current().due().getOrDefault(kind, 0L))
                    .description("Rows due for a reconcile that no worker holds yet")
                    .tag("kind", kind.name())
                    .register(registry);
            Gauge.builder(MetricNames.RECONCILE_DUE_OLDEST_AGE, this,
                            g -> g.current().oldestDue().getOrDefault(kind, Duration.ZERO).toMillis() / 1000.0)
                    .description("How long the longest-waiting due row has waited for a worker")
                    .tag("kind", kind.name())
                    .baseUnit("seconds")
                    .register(registry);
        }
    }

    private void phaseGauge(MeterRegistry registry, String name, String description, String label, ReconcileKind kind, String value) {
        Gauge.builder(name, this, g -> g.current().count(kind, value))
                .description(description)
                .tag(label, value)
                .register(registry);
    }

    /** The counts, taken afresh when older than {@link #MAX_AGE}; the last ones while the database does not answer. */
    private FleetCounts.Snapshot current() {
        FleetCounts.Snapshot seen = snapshot;
        if (seen.taken().isAfter(Instant.now().minus(MAX_AGE))) {
            return seen;
        }
        synchronized (this) {
            if (snapshot != seen) {
                return snapshot;
            }
            try {
                snapshot = counts.get().take();
            } catch (RuntimeException e) {
                LOG.warn("metrics: cannot count the fleet; showing the counts of {}", seen.taken(), e);
                snapshot = new FleetCounts.Snapshot(seen.byPhase(), seen.due(), seen.oldestDue(), Instant.now());
            }
            return snapshot;
        }
    }
}
