package io.edgeplane.seedmanager.workload;

import io.edgeplane.seedmanager.api.FieldProblem;
import io.edgeplane.seedmanager.app.AppSpec;
import io.edgeplane.seedmanager.app.ConfigurationSchema;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A workload's configuration: the app's {@code defaultConfiguration} with the workload's top-level
 * keys put over it (a key given replaces the default's whole value), checked against the app's
 * {@code configurationSchema}. Problems are named {@code configuration.<path>}.
 */
public final class ConfigurationValidation {
    public static final String FIELD = "configuration";

    private ConfigurationValidation() {
    }

    public static Map<String, Object> merge(AppSpec app, Map<String, Object> configuration) {
        Map<String, Object> merged = new LinkedHashMap<>(app.defaultConfiguration() == null ? Map.of() : app.defaultConfiguration());
        merged.putAll(configuration);
        return merged;
    }

    public static List<FieldProblem> problems(AppSpec app, Map<String, Object> merged) {
        return ConfigurationSchema.of(app.configurationSchema()).validate(merged, FIELD);
    }
}
