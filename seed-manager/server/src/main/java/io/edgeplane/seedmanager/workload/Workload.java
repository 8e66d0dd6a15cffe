package io.edgeplane.seedmanager.workload;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A workload of a cluster as stored. {@code liveSpec} is the version the devices run (or should
 * run), {@code stagedSpec} the version being pre-pulled or waiting for apply; both are
 * {@link WorkloadSpec} JSON. {@code run} is the operator's start/stop wish. An operation bumps
 * {@code generation}; the reconciler sets {@code observedGeneration} once the cluster has it.
 * {@code state}/{@code stagedState} are stored by their {@link WorkloadState} names; {@code status} is
 * {@link WorkloadStatus} JSON. {@code stagedRequest} groups the staged versions of one deploy
 * request, which are applied together when {@code stagedInstantlyApply}.
 */
@MappedEntity("workloads")
public record Workload(@Id String id,
                       String clusterId,
                       String name,
                       String title,
                       String appName,
                       @Nullable String appVersion,
                       @Nullable String liveSpec,
                       @Nullable String stagedAppVersion,
                       @Nullable String stagedSpec,
                       boolean stagedInstantlyApply,
                       @Nullable String stagedRequest,
                       @Nullable WorkloadState stagedState,
                       boolean run,
                       WorkloadState state,
                       String status,
                       long generation,
                       long observedGeneration,
                       boolean deleteRequested,
                       @Nullable String leaseOwner,
                       @Nullable Instant leaseUntil,
                       Instant nextReconcileAt,
                       Instant createdAt,
                       Instant updatedAt) {
}
