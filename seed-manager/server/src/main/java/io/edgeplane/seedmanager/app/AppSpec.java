package io.edgeplane.seedmanager.app;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;

import java.util.List;
import java.util.Map;

/**
 * What an app version is made of. {@code containers} name the images (by tag or digest) that run
 * side by side in one pod; {@code defaultConfiguration} is the app.yaml-like configuration a
 * workload starts from, and {@code configurationSchema} (a JSON Schema, optional) is what a
 * workload's configuration must satisfy.
 */
@Serdeable
public record AppSpec(List<Container> containers,
                      List<Io> inputs,
                      List<Io> outputs,
                      Map<String, Object> defaultConfiguration,
                      @Nullable Map<String, Object> configurationSchema) {

    @Serdeable
    public record Container(String name,
                            String image,
                            Map<String, String> env,
                            List<Port> ports,
                            @Nullable Resources resources) {
    }

    /** A port the container listens on; {@code hostPort} also opens it on the device's address. */
    @Serdeable
    public record Port(String name, int containerPort, @Nullable Integer hostPort, String protocol) {
    }

    /** Kubernetes quantities, e.g. {@code 100m} and {@code 64Mi}; null means unset. */
    @Serdeable
    public record Resources(@Nullable String cpuRequest, @Nullable String memoryRequest,
                            @Nullable String cpuLimit, @Nullable String memoryLimit) {
    }

    /** A data stream the app reads or writes (kept for the operator; Edgeplane does not route data). */
    @Serdeable
    public record Io(String name, String dataType) {
    }
}
