package io.edgeplane.seedmanager.podnetwork;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.netty.util.NetUtil;

import java.time.Duration;

/**
 * The pod network relay's settings (documented in application.yml, each settable as EDGEPLANE_POD_NETWORK_...).
 *
 * @param enabled       whether the relay listens; off, devices are given no relay and pods reach only pods of their own device
 * @param port          the relay's TCP port; 0 picks a free one (tests, several seed managers on one host)
 * @param bind          the address the relay listens on, an IP literal ({@code 0.0.0.0}: every IPv4 address)
 * @param sweepInterval how often sessions are checked against their machines (gone, being deleted, another pod range)
 */
@ConfigurationProperties("edgeplane.pod-network")
public record PodNetworkSettings(@Bindable(defaultValue = "true") boolean enabled,
                                 @Bindable(defaultValue = "8134") int port,
                                 @Bindable(defaultValue = "0.0.0.0") String bind,
                                 @Bindable(defaultValue = "30s") Duration sweepInterval) {

    public PodNetworkSettings {
        if (port < 0 || port > 65535) {
            throw new InvalidConfigurationException("EDGEPLANE_POD_NETWORK_PORT must be from 0 (any free port) to 65535, got " + port);
        }
        if (bind == null || !(NetUtil.isValidIpV4Address(bind) || NetUtil.isValidIpV6Address(bind))) {
            throw new InvalidConfigurationException("EDGEPLANE_POD_NETWORK_BIND must be an IP address such as 0.0.0.0 or ::, got '"
                    + bind + "'");
        }
        if (sweepInterval == null || sweepInterval.isNegative() || sweepInterval.isZero()) {
            throw new InvalidConfigurationException("EDGEPLANE_POD_NETWORK_SWEEP_INTERVAL must be a positive duration such as 30s, got "
                    + sweepInterval);
        }
    }
}
