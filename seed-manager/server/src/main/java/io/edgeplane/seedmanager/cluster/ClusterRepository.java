package io.edgeplane.seedmanager.cluster;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface ClusterRepository extends CrudRepository<Cluster, String> {

    /** The cluster's devices, and how many of them last reported their tunnel connected. */
    @Query("""
            SELECT count(*) AS devices,
                   count(*) FILTER (WHERE status::jsonb -> 'tunnel' ->> 'state' = 'connected') AS connected
            FROM machine_deployments WHERE cluster_id = :clusterId""")
    ClusterView.Tunnels tunnels(String clusterId);

    Optional<Cluster> findByProjectAndName(String project, String name);

    /** Clusters whose control plane runs and that have devices or workloads: those the seed manager watches. */
    @Query("""
            SELECT c.id FROM clusters c
            WHERE NOT c.delete_requested AND c.phase IN ('Running', 'Updating')
              AND (EXISTS (SELECT 1 FROM machine_deployments m WHERE m.cluster_id = c.id)
                   OR EXISTS (SELECT 1 FROM workloads w WHERE w.cluster_id = c.id))""")
    List<String> idsWithDevicesOrWorkloads();

    boolean existsByProject(String project);

    long countByProject(String project);

    @Query("SELECT * FROM clusters WHERE project = :project AND name > :after ORDER BY name LIMIT :limit")
    List<Cluster> listAfter(String project, String after, int limit);

    /** The next due cluster nobody holds; SKIP LOCKED lets replicas pick different ones at once. */
    @Query("""
            SELECT id FROM clusters
            WHERE next_reconcile_at <= :now AND (lease_until IS NULL OR lease_until < :now)
            ORDER BY next_reconcile_at LIMIT 1 FOR UPDATE SKIP LOCKED""")
    Optional<String> nextDue(Instant now);

    /** The lease outlives a crashed claimer only until {@code until}; then another replica takes over. */
    @Query("UPDATE clusters SET lease_owner = :owner, lease_until = :until WHERE id = :id")
    long lease(String id, String owner, Instant until);

    @Query("""
            UPDATE clusters SET phase = CASE WHEN generation <> :readGeneration THEN phase ELSE CAST(:phase AS TEXT) END,
                   status = :status, observed_generation = :observedGeneration,
                   lease_owner = NULL, lease_until = NULL, updated_at = :now,
                   next_reconcile_at = CASE WHEN generation <> :readGeneration THEN CAST(:now AS TIMESTAMPTZ)
                                            ELSE CAST(:next AS TIMESTAMPTZ) END
            WHERE id = :id AND lease_owner = :owner""")
    long finishReconcile(String id, String owner, long readGeneration, String phase, String status, long observedGeneration,
                         Instant next, Instant now);

    @Query("UPDATE clusters SET pki = :pki WHERE id = :id")
    long storePki(String id, String pki);

    /** The latest encryption-key rotation's JSON; the column is apart from the entity so no whole-row update overwrites it. */
    @Query("SELECT encryption_key_rotation FROM clusters WHERE id = :id")
    Optional<String> encryptionKeyRotation(String id);

    /** Records a new rotation unless one is under way; wakes the cluster. Returns 0 when one is under way. */
    @Query("""
            UPDATE clusters SET encryption_key_rotation = :rotation, next_reconcile_at = :now
            WHERE id = :id AND (encryption_key_rotation IS NULL OR encryption_key_rotation::jsonb ->> 'phase' = 'Done')""")
    long startEncryptionKeyRotation(String id, String rotation, Instant now);

    /** The reconciler's step: replaces exactly the rotation it read (0 rows when it changed meanwhile). */
    @Query("UPDATE clusters SET encryption_key_rotation = :next WHERE id = :id AND encryption_key_rotation = :previous")
    long advanceEncryptionKeyRotation(String id, String previous, String next);

    @Query("UPDATE clusters SET lease_owner = NULL, lease_until = NULL, next_reconcile_at = :now WHERE lease_owner = :owner")
    long releaseLeasesOf(String owner, Instant now);

    @Query("UPDATE clusters SET next_reconcile_at = :now WHERE id = :id")
    long wake(String id, Instant now);
}
