package io.edgeplane.seedmanager.project;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;
import io.micronaut.serde.annotation.Serdeable;

import java.time.Instant;

/** A tenant: owns clusters and tokens; the unit of access control. */
@Serdeable
@MappedEntity("projects")
public record Project(@Id String name, @Nullable String displayName, Instant createdAt) {
}
