package io.edgeplane.e2e.fleet;

import java.util.Map;

/**
 * The fleet left alone for {@code seconds}: cores used on average, memory, the largest reconcile lag, the API as an operator saw
 * it, and how many status writes per second the simulated agents made meanwhile.
 */
record IdleFigures(double seconds, double seedCores, double postgresCores, double controlPlaneCores, double heapMeanBytes,
                   long heapMaxBytes, long seedRssBytes, long controlPlaneRssBytes, double maxLagSeconds,
                   Map<Latencies.Kind, Latencies.Summary> latencies, double agentWritesPerSecond) {

    /**
     * CPU milliseconds per agent status write, seed manager, PostgreSQL and control planes apart: what {@code faster} (the same fleet
     * reporting more often) cost more, divided by how many more writes it made.
     */
    double[] millisPerWrite(IdleFigures faster) {
        double writes = faster.agentWritesPerSecond - agentWritesPerSecond;
        return new double[]{(faster.seedCores - seedCores) * 1000 / writes, (faster.postgresCores - postgresCores) * 1000 / writes,
                (faster.controlPlaneCores - controlPlaneCores) * 1000 / writes};
    }
}
