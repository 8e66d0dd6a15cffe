package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The listener's life: a free port when asked for 0, a taken one named, nothing when disabled, nothing after stop. */
class PodNetworkRelayTest {
    private static final Duration SWEEP = Duration.ofSeconds(30);

    @Test
    void portZeroListensOnAFreePortUntilStopped() throws Exception {
        PodNetworkRelay first = relay(new PodNetworkSettings(true, 0, "127.0.0.1", SWEEP));
        PodNetworkRelay second = relay(new PodNetworkSettings(true, 0, "127.0.0.1", SWEEP));
        try {
            first.onStartup(null);
            second.onStartup(null);
            int port = first.port().orElseThrow();
            assertThat(second.port()).as("two at once").isPresent().isNotEqualTo(first.port());
            try (Socket dialled = new Socket()) {
                dialled.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
                assertThat(dialled.isConnected()).isTrue();
            }
        } finally {
            first.stop();
            second.stop();
        }
        assertThat(first.port()).isEmpty();
    }

    @Test
    void aTakenPortIsNamedAndNothingIsLeftRunning() throws Exception {
        try (ServerSocket taken = new ServerSocket()) {
            taken.bind(new InetSocketAddress("127.0.0.1", 0));
            PodNetworkRelay relay = relay(new PodNetworkSettings(true, taken.getLocalPort(), "127.0.0.1", SWEEP));
            assertThatThrownBy(() -> relay.onStartup(null)).isInstanceOf(InvalidConfigurationException.class)
                    .hasMessageStartingWith("cannot listen for the pod network on 127.0.0.1:" + taken.getLocalPort()
                            + " (EDGEPLANE_POD_NETWORK_BIND, EDGEPLANE_POD_NETWORK_PORT; EDGEPLANE_POD_NETWORK_ENABLED=false turns it off): ");
            assertThat(relay.port()).isEmpty();
            relay.stop();
        }
    }

    @Test
    void disabledItListensNowhereAndGivesDevicesNoEndpoint() {
        PodNetworkRelay relay = relay(new PodNetworkSettings(false, 0, "127.0.0.1", SWEEP));
        relay.onStartup(null);
        assertThat(relay.port()).isEmpty();
        assertThat(relay.endpoint(null)).isEmpty();
        relay.stop();
    }

    /** Only the listener: nothing here dials through TLS (PodNetworkRelayIT does, against a real seed manager). */
    private static PodNetworkRelay relay(PodNetworkSettings settings) {
        return new PodNetworkRelay(settings, null, null, null, new PodNetworkSessions(), null, null);
    }
}
