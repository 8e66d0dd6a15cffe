package io.edgeplane.seedmanager.app;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.JsonSchema;
import com.networknt.schema.JsonSchemaException;
import com.networknt.schema.JsonSchemaFactory;
import com.networknt.schema.PathType;
import com.networknt.schema.SchemaId;
import com.networknt.schema.SchemaLocation;
import com.networknt.schema.SchemaValidatorsConfig;
import com.networknt.schema.SpecVersion;
import com.networknt.schema.ValidationMessage;
import io.edgeplane.seedmanager.api.FieldProblem;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * An app's configuration schema (JSON Schema 2020-12), which every workload configuration of the
 * app must satisfy. A schema must be self-contained: only local {@code #...} references, so that
 * checking a configuration never fetches anything.
 */
public final class ConfigurationSchema {
    private static final JsonMapper JSON = new JsonMapper();
    private static final JsonSchemaFactory FACTORY = JsonSchemaFactory.getInstance(SpecVersion.VersionFlag.V202012);
    private static final SchemaValidatorsConfig CONFIG = SchemaValidatorsConfig.builder().pathType(PathType.JSON_POINTER).build();
    private static final Set<String> REFERENCES = Set.of("$ref", "$dynamicRef", "$recursiveRef");

    private final @Nullable JsonSchema schema;

    private ConfigurationSchema(@Nullable JsonSchema schema) {
        this.schema = schema;
    }

    /**
     * Problems of the schema itself, named under {@code field}: remote references, another
     * dialect, anything the 2020-12 meta-schema refuses, references that dangle or loop.
     */
    public static List<FieldProblem> problems(Map<String, Object> schema, String field) {
        List<FieldProblem> problems = new ArrayList<>();
        JsonNode node = JSON.valueToTree(schema);
        selfContained(node, field, true, problems);
        if (!problems.isEmpty()) {
            return problems;
        }
        JsonSchema meta = FACTORY.getSchema(SchemaLocation.of(SchemaId.V202012), CONFIG);
        for (ValidationMessage message : sorted(meta.validate(node))) {
            problems.add(new FieldProblem(path(field, message.getInstanceLocation()), "is not valid JSON Schema: " + text(message)));
        }
        if (problems.isEmpty()) {
            SchemaReferences.endlessLoop(node, field).ifPresent(at -> problems.add(new FieldProblem(at,
                    "leads back to where it started without descending into the configuration; checking would never end")));
        }
        if (problems.isEmpty()) {
            try {
                // Resolves every reference now, so a dangling one is refused here rather than at each deploy.
                FACTORY.getSchema(node, CONFIG).initializeValidators();
            } catch (JsonSchemaException | IllegalArgumentException e) {
                problems.add(new FieldProblem(field, "is not valid JSON Schema: " + e.getMessage()));
            }
        }
        return problems;
    }

    /** A checked schema ({@link #problems} empty); null accepts every configuration. */
    public static ConfigurationSchema of(@Nullable Map<String, Object> schema) {
        return new ConfigurationSchema(schema == null ? null : FACTORY.getSchema(JSON.valueToTree(schema), CONFIG));
    }

    /** Where {@code configuration} breaks the schema, each named under {@code field} (e.g. {@code configuration.greeting}). */
    public List<FieldProblem> validate(Map<String, Object> configuration, String field) {
        if (schema == null) {
            return List.of();
        }
        List<FieldProblem> problems = new ArrayList<>();
        for (ValidationMessage message : sorted(schema.validate(JSON.valueToTree(configuration)))) {
            String path = path(field, message.getInstanceLocation());
            switch (message.getType()) {
                case "required" -> problems.add(new FieldProblem(path + "." + message.getProperty(), "is required"));
                case "additionalProperties" -> problems.add(new FieldProblem(path + "." + message.getProperty(), "unknown field"));
                case "type" -> problems.add(new FieldProblem(path, "must be " + typeName(message.getSchemaNode())));
                default -> problems.add(new FieldProblem(path, text(message)));
            }
        }
        return problems;
    }

    private static void selfContained(JsonNode node, String path, boolean root, List<FieldProblem> problems) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                selfContained(node.get(i), path + "[" + i + "]", false, problems);
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        Iterator<Map.Entry<String, JsonNode>> fields = node.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            String at = path + "." + key;
            if (REFERENCES.contains(key) && value.isTextual() && !value.asText().startsWith("#")) {
                problems.add(new FieldProblem(at, "only local references (#/...) are allowed; the schema must be self-contained"));
            } else if (key.equals("$schema") && value.isTextual()) {
                if (!root || !SchemaId.V202012.equals(value.asText())) {
                    problems.add(new FieldProblem(at, "must be " + SchemaId.V202012 + " (or left out), at the top only"));
                }
            } else if (key.equals("$id") && value.isTextual()) {
                problems.add(new FieldProblem(at, "is not supported; the schema must be self-contained"));
            } else {
                selfContained(value, at, false, problems);
            }
        }
    }

    private static List<ValidationMessage> sorted(Set<ValidationMessage> messages) {
        List<ValidationMessage> list = new ArrayList<>(messages);
        list.sort((a, b) -> a.getInstanceLocation().toString().compareTo(b.getInstanceLocation().toString()));
        return list;
    }

    private static String path(String field, JsonNodePath location) {
        StringBuilder path = new StringBuilder(field);
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            if (element instanceof Integer index) {
                path.append('[').append(index).append(']');
            } else {
                path.append('.').append(element);
            }
        }
        return path.toString();
    }

    private static String typeName(JsonNode expected) {
        Set<String> names = new TreeSet<>();
        if (expected.isArray()) {
            expected.forEach(t -> names.add(typeName(t)));
            return String.join(" or ", names);
        }
        return switch (expected.asText()) {
            case "object" -> "an object";
            case "array" -> "a list";
            case "string" -> "a string";
            case "boolean" -> "true or false";
            case "integer" -> "an integer";
            case "number" -> "a number";
            case "null" -> "null";
            default -> "of type " + expected.asText();
        };
    }

    /** The validator's message without the location it starts with (the field path says where). */
    private static String text(ValidationMessage message) {
        String text = message.getMessage();
        int colon = text.indexOf(": ");
        boolean located = text.startsWith("/") || text.startsWith("$") || text.startsWith(":");
        return located && colon >= 0 ? text.substring(colon + 2) : text;
    }
}
