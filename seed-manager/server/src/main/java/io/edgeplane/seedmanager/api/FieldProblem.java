package io.edgeplane.seedmanager.api;

import io.micronaut.serde.annotation.Serdeable;

/** One invalid input, named by its field path (e.g. {@code role} or {@code spec.datacenters.a.country}). */
@Serdeable
public record FieldProblem(String field, String message) {
}
