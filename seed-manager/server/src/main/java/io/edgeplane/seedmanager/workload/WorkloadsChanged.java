package io.edgeplane.seedmanager.workload;

/** Published after an API operation on workloads of a cluster was committed, so a reconciler may wake at once. */
public record WorkloadsChanged(String project, String cluster) {
}
