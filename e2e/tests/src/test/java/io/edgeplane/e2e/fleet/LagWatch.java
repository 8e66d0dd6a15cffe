package io.edgeplane.e2e.fleet;

import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/** Samples the reconcile queue's lag every 2 s while a phase runs and keeps the largest. */
final class LagWatch implements AutoCloseable {
    private final ScheduledExecutorService sampler = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "lag-watch");
        t.setDaemon(true);
        return t;
    });
    private volatile double max;

    LagWatch(SeedManagerProcess seed) {
        sampler.scheduleWithFixedDelay(() -> {
            try {
                max = Math.max(max, seed.reconcileLagSeconds().values().stream().mapToDouble(Double::doubleValue).max().orElse(0));
            } catch (Exception e) {
                // a sample lost while the database is busy: the next one counts
            }
        }, 0, 2, TimeUnit.SECONDS);
    }

    double max() {
        return max;
    }

    @Override
    public void close() {
        sampler.shutdownNow();
    }
}
