package io.edgeplane.provisioner.ssh;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.config.hosts.HostConfigEntryResolver;
import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.keyprovider.KeyIdentityProvider;
import org.apache.sshd.common.signature.Signature;
import org.apache.sshd.common.util.security.SecurityUtils;
import org.apache.sshd.core.CoreModuleProperties;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * The SSH client that deliveries share: it trusts only pinned host keys, logs in only with the
 * credential of the delivery (no ~/.ssh/config, default keys or agent of the server's own user),
 * and notices a device that stops answering mid-script.
 */
final class DeliveryClient {
    private static final Logger LOG = LoggerFactory.getLogger(DeliveryClient.class);
    /** A device that answers none of this many keepalives, {@link #HEARTBEAT} apart, is given up as lost. */
    static final Duration HEARTBEAT = Duration.ofSeconds(15);
    static final int HEARTBEAT_MISSES = 4;
    private static final String ED25519 = "ssh-ed25519";

    private DeliveryClient() {
    }

    static SshClient start(SshPolicy policy) {
        if (!SecurityUtils.isEDDSACurveSupported()) {
            LOG.warn("ssh client without Ed25519 support: devices with only an ed25519 host key cannot be reached; "
                    + "put org.bouncycastle:bcprov-jdk18on on the class path");
        }
        if (LoggerFactory.getLogger("org.apache.sshd").isTraceEnabled()) {
            LOG.warn("org.apache.sshd logs at TRACE, which dumps decrypted SSH packets: scripts with their bootstrap "
                    + "tokens, their output and passwords; set it to INFO");
        }
        SshClient client = SshClient.setUpDefaultClient();
        PinnedHostKeys pinnedHostKeys = new PinnedHostKeys();
        client.setServerKeyVerifier(pinnedHostKeys);
        client.addSessionListener(pinnedHostKeys);
        client.setHostConfigEntryResolver(HostConfigEntryResolver.EMPTY);
        client.setKeyIdentityProvider(KeyIdentityProvider.EMPTY_KEYS_PROVIDER);
        client.setSignatureFactories(hostKeyAlgorithms(client.getSignatureFactories()));
        CoreModuleProperties.HEARTBEAT_INTERVAL.set(client, HEARTBEAT);
        CoreModuleProperties.HEARTBEAT_NO_REPLY_MAX.set(client, HEARTBEAT_MISSES);
        // A provisioning step may print nothing for minutes; the command timeout, not idleness, ends it.
        CoreModuleProperties.IDLE_TIMEOUT.set(client, policy.commandTimeout().plus(RemoteCommand.KILL_GRACE).plusMinutes(1));
        client.start();
        return client;
    }

    /**
     * Ed25519 first (every supported Ubuntu has such a host key, and it is what operators usually
     * pin), then the default order; certificate algorithms are left out, as host certificates are not supported.
     */
    static List<NamedFactory<Signature>> hostKeyAlgorithms(List<NamedFactory<Signature>> defaults) {
        List<NamedFactory<Signature>> algorithms = new ArrayList<>(defaults);
        algorithms.removeIf(factory -> factory.getName().contains("-cert-"));
        algorithms.sort(Comparator.comparingInt(factory -> factory.getName().equals(ED25519) ? 0 : 1));
        return algorithms;
    }
}
