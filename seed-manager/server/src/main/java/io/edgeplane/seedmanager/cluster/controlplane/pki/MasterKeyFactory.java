package io.edgeplane.seedmanager.cluster.controlplane.pki;

import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The seed manager's master key: {@code edgeplane.master-key} (env EDGEPLANE_MASTER_KEY) when set,
 * else {@code <data dir>/master-key}, generated at first use. Replicas sharing one database must
 * share the key, so they need EDGEPLANE_MASTER_KEY (or one data dir).
 */
@Factory
public class MasterKeyFactory {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyFactory.class);
    static final String SOURCE = "EDGEPLANE_MASTER_KEY (edgeplane.master-key)";

    @Singleton
    public MasterKey masterKey(EdgeplaneConfig config, @Nullable @Value("${edgeplane.master-key:}") String configured) {
        if (configured != null && !configured.isBlank()) {
            MasterKey key = MasterKey.fromBase64(configured, SOURCE);
            LOG.info("master key taken from EDGEPLANE_MASTER_KEY (fingerprint {})", key.fingerprint());
            return key;
        }
        return MasterKeyFile.readOrGenerate(config.ensureDataDir().resolve(MasterKeyFile.FILE_NAME));
    }
}
