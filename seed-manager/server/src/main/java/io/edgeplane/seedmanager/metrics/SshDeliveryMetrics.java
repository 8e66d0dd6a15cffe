package io.edgeplane.seedmanager.metrics;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Map;

/** SSH deliveries to devices by operation and result; every combination is shown from the start, at zero. */
@Singleton
public class SshDeliveryMetrics {
    /** What was delivered. */
    public enum Operation { provision, deprovision }

    /** How it ended: the script ran to its end, or it did not (unreachable, host key, script failure). */
    public enum Result { succeeded, failed }

    private final Map<Operation, Map<Result, Counter>> deliveries = new EnumMap<>(Operation.class);

    public SshDeliveryMetrics(MeterRegistry registry) {
        for (Operation operation : Operation.values()) {
            Map<Result, Counter> byResult = new EnumMap<>(Result.class);
            for (Result result : Result.values()) {
                byResult.put(result, Counter.builder(MetricNames.SSH_DELIVERIES)
                        .description("SSH deliveries of device scripts")
                        .tag("operation", operation.name())
                        .tag("result", result.name())
                        .register(registry));
            }
            deliveries.put(operation, byResult);
        }
    }

    public void delivered(Operation operation, Result result) {
        deliveries.get(operation).get(result).increment();
    }
}
