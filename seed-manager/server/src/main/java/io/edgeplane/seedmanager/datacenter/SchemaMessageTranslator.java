package io.edgeplane.seedmanager.datacenter;

import com.fasterxml.jackson.core.JsonPointer;
import com.fasterxml.jackson.databind.JsonNode;
import com.networknt.schema.JsonNodePath;
import com.networknt.schema.ValidationMessage;

import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * Turns JSON Schema validation messages into short English problems placed on the right line.
 * The validator's own wording ("$.spec.country: integer found, string expected") names JSON
 * types and paths that operators of a YAML file should not have to decode.
 */
final class SchemaMessageTranslator {

    private final JsonNode schemaJson;

    SchemaMessageTranslator(JsonNode schemaJson) {
        this.schemaJson = schemaJson;
    }

    void translate(ValidationMessage message, ProblemList problems) {
        String path = dotted(message.getInstanceLocation());
        JsonNode instance = message.getInstanceNode();
        switch (message.getType()) {
            case "additionalProperties" -> {
                String name = message.getProperty();
                problems.atKey(FieldPath.child(path, name), "unknown field \"" + name + "\"" + knownFields(message));
            }
            // Reported on the line of the mapping that lacks the field, since the field has no line.
            case "required" -> problems.at(problems.keyLineOf(path), FieldPath.child(path, message.getProperty()),
                    "required field is missing");
            case "type" -> problems.atValue(path, typeMessage(message.getSchemaNode(), instance));
            case "enum" -> problems.atValue(path, "must be one of " + join(message.getSchemaNode()) + got(instance));
            case "const" -> problems.atValue(path, "must be " + message.getSchemaNode().asText() + got(instance));
            case "minLength" -> problems.atValue(path, "must not be empty");
            case "minProperties", "minItems" -> problems.atValue(path, "must not be empty");
            default -> problems.atValue(path, withoutLocation(message));
        }
    }

    static String dotted(JsonNodePath location) {
        String path = FieldPath.ROOT;
        for (int i = 0; i < location.getNameCount(); i++) {
            Object element = location.getElement(i);
            path = element instanceof Integer index
                    ? FieldPath.item(path, index)
                    : FieldPath.child(path, String.valueOf(element));
        }
        return path;
    }

    /** Lists the fields the enclosing schema object declares, so a typo is fixed without opening the schema. */
    private String knownFields(ValidationMessage message) {
        JsonNodePath keyword = message.getSchemaLocation().getFragment();
        JsonNodePath objectSchema = keyword == null ? null : keyword.getParent();
        if (objectSchema == null) {
            return "";
        }
        JsonNode properties = schemaJson.at(pointer(objectSchema)).path("properties");
        List<String> names = new ArrayList<>();
        properties.fieldNames().forEachRemaining(names::add);
        return names.isEmpty() ? " (this takes no fields; write {})" : " (known fields: " + String.join(", ", names) + ")";
    }

    private static JsonPointer pointer(JsonNodePath path) {
        JsonPointer pointer = JsonPointer.empty();
        for (int i = 0; i < path.getNameCount(); i++) {
            Object element = path.getElement(i);
            pointer = element instanceof Integer index ? pointer.appendIndex(index) : pointer.appendProperty(String.valueOf(element));
        }
        return pointer;
    }

    private static String typeMessage(JsonNode expectedType, JsonNode instance) {
        String expected = switch (expectedType.asText()) {
            case "object" -> "an object";
            case "array" -> "a list";
            case "string" -> "a string";
            case "boolean" -> "true or false";
            case "integer" -> "an integer";
            case "number" -> "a number";
            default -> "of type " + expectedType.asText();
        };
        if (instance == null || !instance.isNull()) {
            return "must be " + expected;
        }
        return "object".equals(expectedType.asText())
                ? "must be an object, but has no value (write {} for an empty one)"
                : "must be " + expected + ", but has no value";
    }

    private static String join(JsonNode values) {
        return StreamSupport.stream(values.spliterator(), false).map(JsonNode::asText).collect(Collectors.joining(", "));
    }

    private static String got(JsonNode instance) {
        if (instance == null || instance.isContainerNode()) {
            return "";
        }
        return instance.isNull() ? ", but has no value" : " (got " + instance + ")";
    }

    /** Fallback for keywords without a rewrite; the validator prefixes its message with the instance location. */
    private static String withoutLocation(ValidationMessage message) {
        String text = message.getMessage();
        int colon = text.indexOf(": ");
        boolean located = text.startsWith("/") || text.startsWith("$") || text.startsWith(":");
        return located && colon >= 0 ? text.substring(colon + 2) : text;
    }
}
