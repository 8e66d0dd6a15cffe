package io.edgeplane.seedmanager.metrics;

import io.edgeplane.seedmanager.reconcile.ReconcileKind;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import jakarta.inject.Singleton;

import java.time.Duration;
import java.util.EnumMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Duration and unexpected failures of reconcile passes per kind; every kind is shown from the start, at zero. */
@Singleton
public class ReconcileMetrics {
    /** From a quick resync of a workload to an SSH delivery of a device. */
    private static final Duration[] BUCKETS = {Duration.ofMillis(10), Duration.ofMillis(50), Duration.ofMillis(100),
            Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofMillis(2500), Duration.ofSeconds(5),
            Duration.ofSeconds(10), Duration.ofSeconds(30), Duration.ofSeconds(60), Duration.ofSeconds(300)};

    private final Map<ReconcileKind, Timer> durations = new EnumMap<>(ReconcileKind.class);
    private final Map<ReconcileKind, Counter> errors = new EnumMap<>(ReconcileKind.class);

    public ReconcileMetrics(MeterRegistry registry) {
        for (ReconcileKind kind : ReconcileKind.values()) {
            durations.put(kind, Timer.builder(MetricNames.RECONCILE_DURATION)
                    .description("Duration of reconcile passes")
                    .tag("kind", kind.name())
                    .serviceLevelObjectives(BUCKETS)
                    .register(registry));
            errors.put(kind, Counter.builder(MetricNames.RECONCILE_ERRORS)
                    .description("Reconcile passes that failed unexpectedly and are retried")
                    .tag("kind", kind.name())
                    .register(registry));
        }
    }

    /** One pass took {@code nanos}; {@code failed} when it ended in an unexpected exception. */
    public void pass(ReconcileKind kind, long nanos, boolean failed) {
        durations.get(kind).record(nanos, TimeUnit.NANOSECONDS);
        if (failed) {
            errors.get(kind).increment();
        }
    }
}
