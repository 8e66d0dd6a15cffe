package io.edgeplane.seedmanager.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;

/** RFC 9457 problem details, the body of every error response. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
public record Problem(String type, String title, int status, @Nullable String detail, List<FieldProblem> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
