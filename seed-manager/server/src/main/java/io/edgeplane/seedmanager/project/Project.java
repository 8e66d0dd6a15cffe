package io.edgeplane.seedmanager.project;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/**
 * A tenant: owns clusters and tokens; the unit of access control.
 *
 * @param clusterQuota how many clusters the project may have; null for no limit
 */
@MappedEntity("projects")
public record Project(@Id String name, @Nullable String displayName, @Nullable Integer clusterQuota, Instant createdAt) {

    Project with(@Nullable String displayName, @Nullable Integer clusterQuota) {
        return new Project(name, displayName, clusterQuota, createdAt);
    }
}
