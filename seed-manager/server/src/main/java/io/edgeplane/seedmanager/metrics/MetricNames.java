package io.edgeplane.seedmanager.metrics;

import java.util.List;

/**
 * The metrics an operator alerts on, as Prometheus shows them at {@code /prometheus}. Micrometer
 * names are dotted; the Prometheus registry turns {@code edgeplane.reconcile.duration} (a timer)
 * into {@code edgeplane_reconcile_duration_seconds_*} and a counter into {@code ..._total}.
 */
public final class MetricNames {
    /** Histogram of reconcile passes, label {@code kind}: cluster, machine, workload. */
    public static final String RECONCILE_DURATION = "edgeplane.reconcile.duration";
    /** Passes that failed unexpectedly (and are retried), label {@code kind}. */
    public static final String RECONCILE_ERRORS = "edgeplane.reconcile.errors";
    /** Rows due for a reconcile that nobody holds yet, label {@code kind}. */
    public static final String RECONCILE_DUE_ROWS = "edgeplane.reconcile.due.rows";
    /** How long the longest-waiting due row has waited, label {@code kind}; 0 when none is due. */
    public static final String RECONCILE_DUE_OLDEST_AGE = "edgeplane.reconcile.due.oldest.age";
    /** Clusters, label {@code phase}. */
    public static final String CLUSTERS = "edgeplane.clusters";
    /** Devices (MachineDeployments), label {@code phase}. */
    public static final String DEVICES = "edgeplane.devices";
    /** Workloads, label {@code state}. */
    public static final String WORKLOADS = "edgeplane.workloads";
    /** SSH deliveries of provisioning and deprovisioning scripts, labels {@code operation} and {@code result}. */
    public static final String SSH_DELIVERIES = "edgeplane.ssh.deliveries";

    /** Every series name Prometheus shows for the metrics above. */
    public static final List<String> PROMETHEUS = List.of(
            "edgeplane_reconcile_duration_seconds_bucket", "edgeplane_reconcile_duration_seconds_count",
            "edgeplane_reconcile_duration_seconds_sum", "edgeplane_reconcile_duration_seconds_max",
            "edgeplane_reconcile_errors_total", "edgeplane_reconcile_due_rows", "edgeplane_reconcile_due_oldest_age_seconds",
            "edgeplane_clusters", "edgeplane_devices", "edgeplane_workloads", "edgeplane_ssh_deliveries_total");

    private MetricNames() {
    }
}
