package io.edgeplane.seedmanager.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.time.Instant;
import java.util.List;
import java.util.Map;

/** An app version as the API shows it. */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AppView(String name, String version, String title, String description,
                      List<AppSpec.Container> containers, List<AppSpec.Io> inputs, List<AppSpec.Io> outputs,
                      @Schema(additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> defaultConfiguration,
                      @Schema(additionalProperties = Schema.AdditionalPropertiesValue.TRUE) @Nullable Map<String, Object> configurationSchema,
                      Instant createdAt, Instant updatedAt) {

    static AppView of(App app, AppSpec spec) {
        return new AppView(app.name(), app.version(), app.title(), app.description(), spec.containers(),
                spec.inputs() == null ? List.of() : spec.inputs(), spec.outputs() == null ? List.of() : spec.outputs(),
                spec.defaultConfiguration() == null ? Map.of() : spec.defaultConfiguration(), spec.configurationSchema(),
                app.createdAt(), app.updatedAt());
    }
}
