package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The relay's settings are refused by the variable an operator sets them with. */
class PodNetworkSettingsTest {
    private static final Duration SWEEP = Duration.ofSeconds(30);

    @Test
    void usableSettingsAreKept() {
        assertThat(new PodNetworkSettings(true, 8134, "0.0.0.0", SWEEP).port()).isEqualTo(8134);
        assertThat(new PodNetworkSettings(true, 0, "::", SWEEP).bind()).isEqualTo("::");
        assertThat(new PodNetworkSettings(false, 65535, "192.0.2.1", Duration.ofMillis(200)).enabled()).isFalse();
    }

    @Test
    void unusableSettingsAreNamed() {
        assertThatThrownBy(() -> new PodNetworkSettings(true, -1, "0.0.0.0", SWEEP)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("EDGEPLANE_POD_NETWORK_PORT must be from 0 (any free port) to 65535, got -1");
        assertThatThrownBy(() -> new PodNetworkSettings(true, 65536, "0.0.0.0", SWEEP)).hasMessageContaining("EDGEPLANE_POD_NETWORK_PORT");
        assertThatThrownBy(() -> new PodNetworkSettings(true, 8134, "seed.example", SWEEP)).isInstanceOf(InvalidConfigurationException.class)
                .hasMessage("EDGEPLANE_POD_NETWORK_BIND must be an IP address such as 0.0.0.0 or ::, got 'seed.example'");
        assertThatThrownBy(() -> new PodNetworkSettings(true, 8134, "", SWEEP)).hasMessageContaining("EDGEPLANE_POD_NETWORK_BIND");
        assertThatThrownBy(() -> new PodNetworkSettings(true, 8134, "0.0.0.0", Duration.ZERO))
                .hasMessageContaining("EDGEPLANE_POD_NETWORK_SWEEP_INTERVAL must be a positive duration");
    }
}
