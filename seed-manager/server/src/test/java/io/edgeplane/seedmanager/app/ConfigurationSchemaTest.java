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

    @Test
    void referencesThatDangleOrLoopInPlaceAreRefusedWhileRecursionIntoTheConfigurationIsFine() {
        assertThat(ConfigurationSchema.problems(Map.of("$ref", "#"), "s")).extracting(FieldProblem::field).containsExactly("s.$ref");
        assertThat(ConfigurationSchema.problems(Map.of("$defs", Map.of("a", Map.of("allOf", List.of(Map.of("$ref", "#/$defs/b"))),
                "b", Map.of("$ref", "#/$defs/a")), "$ref", "#/$defs/a"), "s")).hasSize(1);
        assertThat(ConfigurationSchema.problems(Map.of("$anchor", "x", "not", Map.of("$ref", "#x")), "s")).hasSize(1);
        assertThat(ConfigurationSchema.problems(Map.of("$ref", "#/$defs/missing"), "s")).extracting(FieldProblem::field).containsExactly("s");

        Map<String, Object> tree = Map.of("type", "object", "properties", Map.of("name", Map.of("type", "string"),
                "children", Map.of("type", "array", "items", Map.of("$ref", "#"))));
        assertThat(ConfigurationSchema.problems(tree, "s")).isEmpty();
        assertThat(ConfigurationSchema.of(tree).validate(Map.of("name", "a", "children", List.of(Map.of("name", 5))), "c"))
                .extracting(FieldProblem::field).containsExactly("c.children[0].name");
    }
}
