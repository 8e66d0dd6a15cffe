package io.edgeplane.seedmanager.app;

import io.edgeplane.seedmanager.api.FieldProblem;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class ConfigurationSchemaTest {
    private static final Map<String, Object> SCHEMA = Map.of("type", "object", "additionalProperties", false,
            "required", List.of("greeting"),
            "properties", Map.of("greeting", Map.of("type", "string"),
                    "limits", Map.of("type", "object", "properties", Map.of("rate", Map.of("type", "integer", "minimum", 1))),
                    "tags", Map.of("type", "array", "items", Map.of("type", "string"))));

    @Test
    void problemsAreNamedByField() {
        List<FieldProblem> problems = ConfigurationSchema.of(SCHEMA).validate(
                Map.of("greeting", 5, "limits", Map.of("rate", 0), "tags", List.of("a", 2), "colour", "red"), "configuration");
        assertThat(problems).extracting(FieldProblem::field)
                .containsExactlyInAnyOrder("configuration.greeting", "configuration.limits.rate", "configuration.tags[1]",
                        "configuration.colour");
        assertThat(problems).filteredOn(p -> p.field().equals("configuration.greeting"))
                .extracting(FieldProblem::message).containsExactly("must be a string");
        assertThat(ConfigurationSchema.of(SCHEMA).validate(Map.of(), "configuration")).extracting(FieldProblem::field)
                .containsExactly("configuration.greeting");
        assertThat(ConfigurationSchema.of(SCHEMA).validate(Map.of("greeting", "hi"), "configuration")).isEmpty();
        assertThat(ConfigurationSchema.of(null).validate(Map.of("anything", 1), "configuration")).isEmpty();
    }

    @Test
    void aSchemaMustBeValidAndSelfContained() {
        assertThat(ConfigurationSchema.problems(SCHEMA, "configurationSchema")).isEmpty();
        assertThat(ConfigurationSchema.problems(Map.of("type", "thing"), "s")).extracting(FieldProblem::field).contains("s.type");
        assertThat(ConfigurationSchema.problems(Map.of("properties", Map.of("a", Map.of("$ref", "https://evil.example/x.json"))), "s"))
                .extracting(FieldProblem::field).containsExactly("s.properties.a.$ref");
        assertThat(ConfigurationSchema.problems(Map.of("$schema", "http://json-schema.org/draft-04/schema#"), "s"))
                .extracting(FieldProblem::field).containsExactly("s.$schema");
        assertThat(ConfigurationSchema.problems(Map.of("$defs", Map.of("n", Map.of("type", "number")),
                "properties", Map.of("a", Map.of("$ref", "#/$defs/n"))), "s")).isEmpty();
    }
}
