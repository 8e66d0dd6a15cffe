package io.edgeplane.seedmanager.app;

import io.micronaut.data.annotation.Id;
import io.micronaut.data.annotation.MappedEntity;

import java.time.Instant;

/** One registered app version of a project; {@code spec} is an {@link AppSpec} in JSON. */
@MappedEntity("apps")
public record App(@Id String id,
                  String project,
                  String name,
                  String version,
                  String title,
                  String description,
                  String spec,
                  Instant createdAt,
                  Instant updatedAt) {
}
