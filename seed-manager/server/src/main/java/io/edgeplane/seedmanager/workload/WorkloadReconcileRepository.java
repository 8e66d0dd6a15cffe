package io.edgeplane.seedmanager.workload;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/** The reconciler's view of the {@code workloads} table: claims, leases, its findings, wake-ups, group apply. */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WorkloadReconcileRepository extends CrudRepository<Workload, String> {

    @Query("""
            SELECT id FROM workloads
            WHERE next_reconcile_at <= :now AND (lease_until IS NULL OR lease_until < :now)
            ORDER BY next_reconcile_at LIMIT 1 FOR UPDATE SKIP LOCKED""")
    Optional<String> nextDue(Instant now);

    @Query("UPDATE workloads SET lease_owner = :owner, lease_until = :until WHERE id = :id")
    long lease(String id, String owner, Instant until);

    /**
     * Writes what a reconcile did and observed, unless the lease was lost. State and staged state are
     * written only if no operation bumped the generation meanwhile; if one did, the workload is
     * reconciled again at once.
     */
    @Query("""
            UPDATE workloads SET state = CASE WHEN generation <> :readGeneration THEN state ELSE CAST(:state AS TEXT) END,
                   staged_state = CASE WHEN generation <> :readGeneration THEN staged_state ELSE CAST(:stagedState AS TEXT) END,
                   status = :status,
                   observed_generation = GREATEST(observed_generation, :observedGeneration),
                   lease_owner = NULL, lease_until = NULL, updated_at = :now,
                   next_reconcile_at = CASE WHEN generation <> :readGeneration THEN CAST(:now AS TIMESTAMPTZ) ELSE CAST(:next AS TIMESTAMPTZ) END
            WHERE id = :id AND lease_owner = :owner""")
    long finishReconcile(String id, String owner, long readGeneration, String state, @Nullable String stagedState, String status,
                         long observedGeneration, Instant next, Instant now);

    @Query("SELECT id FROM workloads WHERE staged_request = :request ORDER BY id FOR UPDATE")
    List<String> lockRequest(String request);

    /**
     * Applies the staged versions of one deploy request together, if every one of them is ready:
     * staged becomes live, the pending apply is queued. Returns how many workloads were applied.
     */
    @Query("""
            UPDATE workloads SET live_spec = staged_spec, app_version = staged_app_version, staged_spec = NULL,
                   staged_app_version = NULL, staged_instantly_apply = false, staged_request = NULL, staged_state = NULL,
                   run = true, state = 'pending_apply', generation = generation + 1, next_reconcile_at = :now, updated_at = :now
            WHERE staged_request = :request AND staged_spec IS NOT NULL AND NOT delete_requested
              AND NOT EXISTS (SELECT 1 FROM workloads o WHERE o.staged_request = :request
                              AND (o.staged_state IS DISTINCT FROM 'ready' OR o.staged_spec IS NULL OR o.delete_requested))""")
    long applyRequestIfReady(String request, Instant now);

    @Query("""
            SELECT DISTINCT w.cluster_id FROM workloads w JOIN clusters c ON c.id = w.cluster_id
            WHERE NOT c.delete_requested AND c.phase IN ('Running', 'Updating')""")
    List<String> clusterIdsWithWorkloads();

    /** Brings one workload's reconcile forward, e.g. because one of its pods changed. */
    @Query("UPDATE workloads SET next_reconcile_at = :now WHERE cluster_id = :clusterId AND name = :name AND next_reconcile_at > :now")
    long wake(String clusterId, String name, Instant now);

    /** Brings every workload of a cluster forward, e.g. because a node turned Ready or NotReady. */
    @Query("UPDATE workloads SET next_reconcile_at = :now WHERE cluster_id = :clusterId AND next_reconcile_at > :now")
    long wakeCluster(String clusterId, Instant now);

    @Query("UPDATE workloads SET lease_owner = NULL, lease_until = NULL, next_reconcile_at = :now WHERE lease_owner = :owner")
    long releaseLeasesOf(String owner, Instant now);
}
