package io.edgeplane.seedmanager.reconcile;

/** What a reconciler works on; the name is the {@code kind} label of the reconcile metrics and the head of its log lines. */
public enum ReconcileKind {
    cluster, machine, workload
}
