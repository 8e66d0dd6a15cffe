package io.edgeplane.seedmanager.workload;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Workload rows. The API writes only the operator's columns (through {@link #operate}); observed
 * generation, leases and the observed status belong to the reconciler.
 */
@JdbcRepository(dialect = Dialect.POSTGRES)
public interface WorkloadRepository extends CrudRepository<Workload, String> {

    Optional<Workload> findByClusterIdAndName(String clusterId, String name);

    /** The row, locked until this transaction ends, so an operation decides on the state it changes. */
    @Query("SELECT * FROM workloads WHERE cluster_id = :clusterId AND name = :name FOR UPDATE")
    Optional<Workload> lock(String clusterId, String name);

    /**
     * Sorted by name. {@code name} keeps names starting with it; {@code node} keeps workloads whose
     * live or staged version targets that device; {@code state} matches the workload's state or its
     * staged version's.
     */
    @Query("""
            SELECT * FROM workloads WHERE cluster_id = :clusterId AND name > :after
              AND (CAST(:name AS TEXT) IS NULL OR left(name, length(CAST(:name AS TEXT))) = CAST(:name AS TEXT))
              AND (CAST(:state AS TEXT) IS NULL OR state = CAST(:state AS TEXT) OR staged_state = CAST(:state AS TEXT))
              AND (CAST(:node AS TEXT) IS NULL
                   OR (CAST(live_spec AS JSONB) -> 'nodes') @> jsonb_build_array(CAST(:node AS TEXT))
                   OR (CAST(staged_spec AS JSONB) -> 'nodes') @> jsonb_build_array(CAST(:node AS TEXT)))
            ORDER BY name LIMIT :limit""")
    List<Workload> listAfter(String clusterId, String after, @Nullable String name, @Nullable String node, @Nullable String state,
                             int limit);

    /** The MachineDeployments a workload of the cluster may target (those not being deprovisioned). */
    @Query("SELECT name FROM machine_deployments WHERE cluster_id = :clusterId AND NOT delete_requested ORDER BY name")
    List<String> deviceNames(String clusterId);

    /**
     * Records an operation: the operator's columns, a fresh status message (the rest of the status
     * stays the reconciler's), a new generation, and a reconcile due now.
     */
    @Query("""
            UPDATE workloads SET title = :title, app_version = :appVersion, live_spec = :liveSpec,
                   staged_app_version = :stagedAppVersion, staged_spec = :stagedSpec,
                   staged_instantly_apply = :stagedInstantlyApply, staged_request = :stagedRequest,
                   staged_state = :stagedState, run = :run, state = :state, delete_requested = :deleteRequested,
                   status = CAST(jsonb_set(CAST(status AS JSONB), '{message}', to_jsonb(CAST(:message AS TEXT))) AS TEXT),
                   generation = generation + 1, next_reconcile_at = :now, updated_at = :now
            WHERE id = :id""")
    long operate(String id, String title, @Nullable String appVersion, @Nullable String liveSpec, @Nullable String stagedAppVersion,
                 @Nullable String stagedSpec, boolean stagedInstantlyApply, @Nullable String stagedRequest,
                 @Nullable String stagedState, boolean run, String state, boolean deleteRequested, String message, Instant now);
}
