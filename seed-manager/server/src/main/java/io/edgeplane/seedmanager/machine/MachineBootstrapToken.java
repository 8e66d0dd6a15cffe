package io.edgeplane.seedmanager.machine;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** A bootstrap token handed to one device; the secret half is sealed with the master key. */
@MappedEntity("machine_bootstrap_tokens")
public record MachineBootstrapToken(@Id String tokenId, String machineDeploymentId, String sealedSecret, Instant expiresAt,
                                    Instant createdAt) {
}
