package io.edgeplane.seedmanager.machine;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * One edge device of a cluster as stored: what the operator asked for (labels, taints, SSH target,
 * deliveries requested, deletion) and what was observed (phase, status JSON), plus the reconcile
 * lease. {@code provisionRequested} counts delivery requests; {@code provisionDone} the last one handled;
 * {@code onboardingRequest} counts the onboarding checks asked for (the first at registration).
 */
@MappedEntity("machine_deployments")
public record MachineDeployment(@Id String id,
                                String clusterId,
                                String name,
                                String os,
                                String arch,
                                String labels,
                                String taints,
                                @Nullable String ssh,
                                @Nullable String sshCredential,
                                long generation,
                                long observedGeneration,
                                long provisionRequested,
                                long provisionDone,
                                long onboardingRequest,
                                MachinePhase phase,
                                String status,
                                boolean deleteRequested,
                                @Nullable String leaseOwner,
                                @Nullable Instant leaseUntil,
                                Instant nextReconcileAt,
                                Instant createdAt,
                                Instant updatedAt) {
}
