package io.edgeplane.e2e.fleet;

import java.util.Arrays;
import java.util.Map;

/**
 * Everything one fleet size measured. Per-device figures are seconds from the phase's first API call. {@code idleFaster} is a
 * second idle window with the simulated agents reporting twice as often, for the cost of one status write. A size that did not fit
 * has a {@code saturation} and stops after its registrations: its idle windows, table costs and later phases are null or absent.
 */
record FleetFigures(int devices, int clusters, Map<String, Double> phaseSeconds, Map<String, double[]> perDevice,
                    Map<String, Map<Latencies.Kind, Latencies.Summary>> latencies, Map<String, Double> seedCpuSeconds,
                    Map<String, Double> maxLagSeconds, IdleFigures idle, IdleFigures idleFaster, TableCosts registered, TableCosts deployed,
                    long agentWrites, long agentWriteFailures, Saturation saturation) {

    boolean complete() {
        return saturation == null;
    }

    /** The {@code p}th percentile (nearest rank) of the per-device seconds of {@code phase}. */
    double perDevice(String phase, int p) {
        double[] values = perDevice.getOrDefault(phase, new double[0]).clone();
        if (values.length == 0) {
            return Double.NaN;
        }
        Arrays.sort(values);
        return values[Latencies.Summary.nearestRank(values.length, p)];
    }

    /** Idle cores of the seed manager per 1,000 devices. */
    double idleCoresPerThousand() {
        return idle.seedCores() * 1000.0 / devices;
    }

    double idleHeapMiBPerThousand() {
        return idle.heapMeanBytes() / 1048576.0 * 1000.0 / devices;
    }
}
