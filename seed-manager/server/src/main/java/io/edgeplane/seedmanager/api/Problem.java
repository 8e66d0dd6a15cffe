package io.edgeplane.seedmanager.api;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;

/** RFC 9457 problem details, the body of every error response. */
@Serdeable
@JsonInclude(JsonInclude.Include.NON_EMPTY)
@Schema(description = "RFC 9457 problem details; errors[] names each invalid field by its path in the request")
public record Problem(@Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "about:blank") String type,
                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "Unprocessable Entity") String title,
                      @Schema(requiredMode = Schema.RequiredMode.REQUIRED, example = "422") int status,
                      @Nullable String detail,
                      @Nullable List<FieldProblem> errors) {
    public static final String MEDIA_TYPE = "application/problem+json";
}
