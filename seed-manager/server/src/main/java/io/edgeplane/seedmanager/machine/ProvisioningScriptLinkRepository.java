package io.edgeplane.seedmanager.machine;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.GenericRepository;

import java.time.Instant;
import java.util.Optional;

/** Links are written once, used once (the conditional UPDATE below) and swept a while after they expired. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ProvisioningScriptLinkRepository extends GenericRepository<ProvisioningScriptLink, String> {

    ProvisioningScriptLink save(ProvisioningScriptLink link);

    @Query("SELECT * FROM provisioning_script_links WHERE secret_hash = :secretHash AND used_at IS NULL AND expires_at > now()")
    Optional<ProvisioningScriptLink> findUsable(byte[] secretHash);

    /**
     * Uses the link up: 1 for the one caller that did, 0 for everyone else (used meanwhile, expired, or gone with its
     * device). The row lock makes a concurrent second UPDATE wait and then see used_at set.
     */
    @Query("UPDATE provisioning_script_links SET used_at = now() WHERE id = :id AND used_at IS NULL AND expires_at > now()")
    long consume(String id);

    /** Deletes up to 100 links that expired before {@code before}: a bounded bit of housekeeping per new link. */
    @Query("DELETE FROM provisioning_script_links WHERE id IN "
            + "(SELECT id FROM provisioning_script_links WHERE expires_at < :before ORDER BY expires_at LIMIT 100)")
    long sweep(Instant before);
}
