package io.edgeplane.seedmanager.machine;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A one-time link to a device's provisioning script as stored: the secret itself never is, only its SHA-256.
 *
 * @param createdBy audit name of the credential that asked for it ({@code admin} or {@code token:<id>})
 * @param usedAt    when the one download happened; null while the link is unused
 */
@MappedEntity("provisioning_script_links")
public record ProvisioningScriptLink(@Id String id, String machineDeploymentId, byte[] secretHash, String createdBy,
                                     Instant createdAt, Instant expiresAt, @Nullable Instant usedAt) {
}
