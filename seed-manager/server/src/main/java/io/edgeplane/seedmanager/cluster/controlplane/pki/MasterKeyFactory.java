package io.edgeplane.seedmanager.cluster.controlplane.pki;

import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import io.edgeplane.seedmanager.config.SeedClusterSecrets;
import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.security.SecureRandom;

/**
 * The seed manager's master key: {@code edgeplane.master-key} (env EDGEPLANE_MASTER_KEY) when set,
 * else the Secret {@code edgeplane-master-key} when EDGEPLANE_SECRETS_NAMESPACE names where replicas
 * keep it, else {@code <data dir>/master-key}; the last two are generated at first use. Replicas
 * sharing one database must share the key.
 */
@Factory
public class MasterKeyFactory {
    private static final Logger LOG = LoggerFactory.getLogger(MasterKeyFactory.class);
    static final String SOURCE = "EDGEPLANE_MASTER_KEY (edgeplane.master-key)";

    @Singleton
    public MasterKey masterKey(EdgeplaneConfig config, @Nullable @Value("${edgeplane.master-key:}") String configured,
                               @Nullable SeedClusterSecrets shared) {
        if (configured != null && !configured.isBlank()) {
            MasterKey key = MasterKey.fromBase64(configured, SOURCE);
            LOG.info("master key taken from EDGEPLANE_MASTER_KEY (fingerprint {})", key.fingerprint());
            return key;
        }
        if (shared != null) {
            MasterKey key = MasterKey.fromBase64(shared.readOrCreate("master-key",
                    () -> MasterKey.generate(new SecureRandom()).toBase64()), "the Secret edgeplane-master-key");
            LOG.info("master key fingerprint {}", key.fingerprint());
            return key;
        }
        return MasterKeyFile.readOrGenerate(config.ensureDataDir().resolve(MasterKeyFile.FILE_NAME));
    }
}
