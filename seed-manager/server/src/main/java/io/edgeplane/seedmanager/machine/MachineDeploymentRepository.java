package io.edgeplane.seedmanager.machine;

import io.micronaut.data.annotation.Query;
import io.micronaut.data.jdbc.annotation.JdbcRepository;
import io.micronaut.data.model.query.builder.sql.Dialect;
import io.micronaut.data.repository.CrudRepository;

import java.time.Instant;
import java.util.List;
import java.util.Optional;

@JdbcRepository(dialect = Dialect.POSTGRES)
public interface MachineDeploymentRepository extends CrudRepository<MachineDeployment, String> {

    Optional<MachineDeployment> findByClusterIdAndName(String clusterId, String name);

    boolean existsByClusterId(String clusterId);

    @Query("SELECT * FROM machine_deployments WHERE cluster_id = :clusterId AND name > :after ORDER BY name LIMIT :limit")
    List<MachineDeployment> listAfter(String clusterId, String after, int limit);

    @Query("""
            SELECT id FROM machine_deployments
            WHERE next_reconcile_at <= :now AND (lease_until IS NULL OR lease_until < :now)
            ORDER BY next_reconcile_at LIMIT 1 FOR UPDATE SKIP LOCKED""")
    Optional<String> nextDue(Instant now);

    @Query("UPDATE machine_deployments SET lease_owner = :owner, lease_until = :until WHERE id = :id")
    long lease(String id, String owner, Instant until);

    /** Writes what a reconcile observed, unless the lease was lost; a change that arrived meanwhile is reconciled at once. */
    @Query("""
            UPDATE machine_deployments SET phase = CASE WHEN generation <> :readGeneration THEN phase ELSE CAST(:phase AS TEXT) END,
                   status = :status,
                   observed_generation = :observedGeneration, provision_done = GREATEST(provision_done, :provisionDone),
                   lease_owner = NULL, lease_until = NULL, updated_at = :now,
                   next_reconcile_at = CASE WHEN generation <> :readGeneration OR provision_requested > :provisionDone
                                            THEN CAST(:now AS TIMESTAMPTZ) ELSE CAST(:next AS TIMESTAMPTZ) END
            WHERE id = :id AND lease_owner = :owner""")
    long finishReconcile(String id, String owner, long readGeneration, String phase, String status, long observedGeneration,
                         long provisionDone, Instant next, Instant now);

    /**
     * Ends a pass that observed nothing new: releases the lease and schedules the next pass, leaving
     * the status as it is (no write of the same JSON, no change for watchers); a change that arrived
     * meanwhile is reconciled at once.
     */
    @Query("""
            UPDATE machine_deployments SET lease_owner = NULL, lease_until = NULL,
                   next_reconcile_at = CASE WHEN generation <> :readGeneration OR provision_requested > provision_done
                                            THEN CAST(:now AS TIMESTAMPTZ) ELSE CAST(:next AS TIMESTAMPTZ) END
            WHERE id = :id AND lease_owner = :owner""")
    long finishUnchanged(String id, String owner, long readGeneration, Instant next, Instant now);

    /**
     * Records an operator's request (provision again, or deprovision) without touching the
     * reconciler's columns: a whole row written back while a pass held it would restore a lease that
     * pass had already released, and the device would wait for that lease to expire.
     */
    @Query("""
            UPDATE machine_deployments SET generation = generation + 1, provision_requested = provision_requested + :provisionIncrement,
                   delete_requested = delete_requested OR :delete, phase = :phase, next_reconcile_at = :now, updated_at = :now
            WHERE id = :id""")
    long request(String id, long provisionIncrement, boolean delete, String phase, Instant now);

    /** Asks for the onboarding check again, and has the device reconciled at once to ask its agent. */
    @Query("""
            UPDATE machine_deployments SET onboarding_request = onboarding_request + 1, next_reconcile_at = :now, updated_at = :now
            WHERE id = :id""")
    long requestOnboardingCheck(String id, Instant now);

    @Query("SELECT DISTINCT cluster_id FROM machine_deployments")
    List<String> clusterIdsWithMachines();

    /** Brings one device's reconcile forward, e.g. because its node changed. */
    @Query("UPDATE machine_deployments SET next_reconcile_at = :now WHERE cluster_id = :clusterId AND name = :name")
    long wake(String clusterId, String name, Instant now);

    @Query("UPDATE machine_deployments SET lease_owner = NULL, lease_until = NULL, next_reconcile_at = :now WHERE lease_owner = :owner")
    long releaseLeasesOf(String owner, Instant now);
}
