package io.edgeplane.seedmanager.tls;

import io.edgeplane.seedmanager.config.InvalidConfigurationException;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.bind.annotation.Bindable;
import io.netty.util.NetUtil;

/**
 * The HTTPS listener (documented in application.yml, settable as EDGEPLANE_HTTPS_BIND and EDGEPLANE_HTTPS_PORT).
 * Plain HTTP is served on 127.0.0.1 only ({@code micronaut.server.port}); every other address is reached here.
 *
 * @param bind the address the HTTPS listener binds, an IP literal ({@code 0.0.0.0}: every IPv4 address)
 * @param port its TCP port; a fixed one, because the artifact mirror URL in devices' scripts names it
 */
@ConfigurationProperties("edgeplane.https")
public record HttpsSettings(@Bindable(defaultValue = "0.0.0.0") String bind,
                            @Bindable(defaultValue = "8443") int port) {

    public HttpsSettings {
        if (port < 1 || port > 65535) {
            throw new InvalidConfigurationException("EDGEPLANE_HTTPS_PORT must be a port from 1 to 65535, got " + port);
        }
        if (bind == null || !(NetUtil.isValidIpV4Address(bind) || NetUtil.isValidIpV6Address(bind))) {
            throw new InvalidConfigurationException("EDGEPLANE_HTTPS_BIND must be an IP address such as 0.0.0.0 or ::, got '" + bind + "'");
        }
    }
}
