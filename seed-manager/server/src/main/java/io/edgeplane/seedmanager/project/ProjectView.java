package io.edgeplane.seedmanager.project;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;

/** A project as the API shows it. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_NULL)
@Schema(description = "A project")
public record ProjectView(String name, @Nullable String displayName, ProjectQuota quota, Instant createdAt) {

    static ProjectView of(Project project) {
        return new ProjectView(project.name(), project.displayName(), new ProjectQuota(project.clusterQuota()), project.createdAt());
    }
}
