package io.edgeplane.seedmanager.podnetwork;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import jakarta.inject.Singleton;

import java.util.EnumMap;
import java.util.Map;

/**
 * The relay's metrics: open sessions (Prometheus {@code edgeplane_pod_network_sessions}) and packets
 * by outcome ({@code edgeplane_pod_network_packets_total}); every outcome is shown from the start, at zero.
 */
@Singleton
class PodNetworkMetrics {
    static final String SESSIONS = "edgeplane.pod.network.sessions";
    static final String PACKETS = "edgeplane.pod.network.packets";

    private final Map<PacketOutcome, Counter> packets = new EnumMap<>(PacketOutcome.class);

    PodNetworkMetrics(MeterRegistry registry, PodNetworkSessions sessions) {
        Gauge.builder(SESSIONS, sessions, PodNetworkSessions::count)
                .description("Devices connected to the pod network relay")
                .register(registry);
        for (PacketOutcome outcome : PacketOutcome.values()) {
            packets.put(outcome, Counter.builder(PACKETS)
                    .description("Packets devices sent to the pod network relay, by what became of them")
                    .tag("outcome", outcome.label())
                    .register(registry));
        }
    }

    void packet(PacketOutcome outcome) {
        packets.get(outcome).increment();
    }
}
