package io.edgeplane.seedmanager.app;

import com.fasterxml.jackson.annotation.JsonInclude;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;

import java.util.List;
import java.util.Map;

/**
 * What an app version is made of. {@code containers} name the images (by tag or digest) that run
 * side by side in one pod; {@code defaultConfiguration} is the app.yaml-like configuration a
 * workload starts from, and {@code configurationSchema} (a JSON Schema, optional) is what a
 * workload's configuration must satisfy.
 */
@Serdeable
@JsonInclude(JsonInclude.Include.ALWAYS)
public record AppSpec(List<Container> containers,
                      List<Io> inputs,
                      List<Io> outputs,
                      @Schema(additionalProperties = Schema.AdditionalPropertiesValue.TRUE) Map<String, Object> defaultConfiguration,
                      @Schema(additionalProperties = Schema.AdditionalPropertiesValue.TRUE) @Nullable Map<String, Object> configurationSchema) {

    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Container(String name,
                            String image,
                            Map<String, String> env,
                            List<Port> ports,
                            @Schema(type = "object") @Nullable Resources resources) {
    }

    /** A port the container listens on; {@code hostPort} also opens it on the device's address. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Port(@Nullable String name, int containerPort, @Nullable Integer hostPort, String protocol) {
    }

    /** Kubernetes quantities, e.g. {@code 100m} and {@code 64Mi}; null means unset. */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Resources(@Nullable String cpuRequest, @Nullable String memoryRequest,
                            @Nullable String cpuLimit, @Nullable String memoryLimit) {
    }

    /** A data stream the app reads or writes (kept for the operator; Edgeplane does not route data). */
    @Serdeable
    @JsonInclude(JsonInclude.Include.ALWAYS)
    public record Io(String name, String dataType) {
    }
}
