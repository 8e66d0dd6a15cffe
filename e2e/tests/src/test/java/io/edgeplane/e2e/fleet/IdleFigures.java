package io.edgeplane.e2e.fleet;

import java.util.Map;

/** The fleet left alone for {@code seconds}: cores used on average, memory, the largest reconcile lag, the API as an operator saw it. */
record IdleFigures(double seconds, double seedCores, double postgresCores, double controlPlaneCores, double heapMeanBytes,
                   long heapMaxBytes, long seedRssBytes, long controlPlaneRssBytes, double maxLagSeconds,
                   Map<Latencies.Kind, Latencies.Summary> latencies) {
}
