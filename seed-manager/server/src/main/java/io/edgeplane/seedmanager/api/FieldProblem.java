package io.edgeplane.seedmanager.api;

import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

/** One invalid input, named by its field path (e.g. {@code role} or {@code spec.datacenters.a.country}). */
@Serdeable
public record FieldProblem(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, description = "path of the field in the request, e.g. nodeHealth.gracePeriodSeconds or workloads[0].name")
                           String field,
                           String message) {
}
