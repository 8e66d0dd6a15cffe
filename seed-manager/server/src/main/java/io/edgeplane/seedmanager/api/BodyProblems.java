package io.edgeplane.seedmanager.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.beans.BeanIntrospection;
import io.micronaut.core.beans.BeanIntrospector;
import io.micronaut.core.beans.BeanProperty;
import io.micronaut.core.type.Argument;
import io.micronaut.json.JsonMapper;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import jakarta.validation.Validator;

import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Every problem of a request body that did not bind, at once: the JSON is walked against the body's
 * record type (unknown fields, values of the wrong type), then the fields that were fine are bound and
 * checked with Bean Validation, so a caller sees all of its mistakes in one answer.
 */
@Singleton
public class BodyProblems {
    private static final ObjectMapper TREE = new ObjectMapper();

    private final JsonMapper json;
    private final Validator validator;

    public BodyProblems(JsonMapper json, Validator validator) {
        this.json = json;
        this.validator = validator;
    }

    /** The problems of {@code body} as a {@code type}; empty if it is not JSON or the walk finds nothing. */
    public List<FieldProblem> of(@Nullable String body, Argument<?> type) {
        if (body == null || body.isBlank()) {
            return List.of();
        }
        JsonNode tree;
        try {
            tree = TREE.readTree(body);
        } catch (IOException e) {
            return List.of();
        }
        List<FieldProblem> problems = new ArrayList<>();
        // A body of several shapes that none fits (even {}) is judged as the shape it resembles.
        Argument<?> shape = type.getType().isSealed() && tree.isObject() ? Argument.of(resembled(type.getType(), tree)) : type;
        JsonNode clean = walk(tree, shape, "", problems);
        if ((problems.isEmpty() && shape == type) || clean == null) {
            return problems;
        }
        problems.addAll(validationOf(clean, shape, problems));
        return problems;
    }

    private List<FieldProblem> validationOf(JsonNode clean, Argument<?> type, List<FieldProblem> reported) {
        Object bound;
        try {
            bound = json.readValue(TREE.writeValueAsBytes(clean), type);
        } catch (IOException | RuntimeException e) {
            return List.of();
        }
        if (bound == null) {
            return List.of();
        }
        return validator.validate(bound).stream()
                .map(v -> new FieldProblem(ConstraintViolationHandler.fieldPath(v), v.getMessage()))
                .filter(p -> reported.stream().noneMatch(r -> p.field().equals(r.field()) || p.field().startsWith(r.field() + ".")
                        || p.field().startsWith(r.field() + "[")))
                .distinct()
                .toList();
    }

    /** Reports what does not fit {@code type} under {@code path}; returns the node without the bad parts (null if itself bad). */
    private JsonNode walk(JsonNode node, Argument<?> type, String path, List<FieldProblem> problems) {
        if (node == null || node.isNull()) {
            return node;
        }
        Class<?> raw = type.getType();
        if (raw == Object.class || JsonNode.class.isAssignableFrom(raw) || io.micronaut.json.tree.JsonNode.class.isAssignableFrom(raw)) {
            return node;
        }
        if (raw == String.class) {
            return expect(node.isTextual(), node, path, "must be a string", problems);
        }
        if (raw.isEnum()) {
            List<String> names = Arrays.stream(raw.getEnumConstants()).map(c -> ((Enum<?>) c).name()).toList();
            return expect(node.isTextual() && names.contains(node.asText()), node, path, "must be one of " + names, problems);
        }
        if (raw == Boolean.class || raw == boolean.class) {
            return expect(node.isBoolean(), node, path, "must be true or false", problems);
        }
        if (raw == Integer.class || raw == int.class || raw == Short.class || raw == short.class) {
            return expect(node.isIntegralNumber() && node.canConvertToInt(), node, path, "must be a whole number", problems);
        }
        if (raw == Long.class || raw == long.class) {
            return expect(node.isIntegralNumber() && node.canConvertToLong(), node, path, "must be a whole number", problems);
        }
        if (Number.class.isAssignableFrom(raw) || raw == double.class || raw == float.class) {
            return expect(node.isNumber(), node, path, "must be a number", problems);
        }
        if (raw == Instant.class || raw == OffsetDateTime.class) {
            return expect(node.isTextual() && isTimestamp(node.asText()), node, path,
                    "must be an RFC 3339 timestamp such as 2030-01-31T12:00:00Z", problems);
        }
        if (Collection.class.isAssignableFrom(raw)) {
            if (!node.isArray()) {
                return expect(false, node, path, "must be an array", problems);
            }
            Argument<?> element = type.getFirstTypeVariable().orElse(Argument.OBJECT_ARGUMENT);
            ArrayNode clean = TREE.createArrayNode();
            for (int i = 0; i < node.size(); i++) {
                JsonNode item = walk(node.get(i), element, path + "[" + i + "]", problems);
                clean.add(item == null ? com.fasterxml.jackson.databind.node.NullNode.getInstance() : item);
            }
            return clean;
        }
        if (Map.class.isAssignableFrom(raw)) {
            if (!node.isObject()) {
                return expect(false, node, path, "must be an object", problems);
            }
            Argument<?>[] parameters = type.getTypeParameters();
            Argument<?> value = parameters.length == 2 ? parameters[1] : Argument.OBJECT_ARGUMENT;
            ObjectNode clean = TREE.createObjectNode();
            for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
                Map.Entry<String, JsonNode> entry = it.next();
                JsonNode item = walk(entry.getValue(), value, join(path, entry.getKey()), problems);
                if (item != null) {
                    clean.set(entry.getKey(), item);
                }
            }
            return clean;
        }
        if (raw.isSealed() && node.isObject()) {
            // A body of several shapes (one workload or a batch), told apart by their fields as serde deduces them.
            return walk(node, Argument.of(resembled(raw, node)), path, problems);
        }
        Optional<? extends BeanIntrospection<?>> introspection = BeanIntrospector.SHARED.findIntrospection(raw);
        if (introspection.isEmpty()) {
            return node;
        }
        if (!node.isObject()) {
            return expect(false, node, path, "must be an object", problems);
        }
        ObjectNode clean = TREE.createObjectNode();
        for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> entry = it.next();
            String field = join(path, entry.getKey());
            Optional<? extends BeanProperty<?, ?>> property = introspection.get().getProperty(entry.getKey());
            if (property.isEmpty()) {
                problems.add(new FieldProblem(field, "unknown field"));
                continue;
            }
            JsonNode item = walk(entry.getValue(), property.get().asArgument(), field, problems);
            if (item != null) {
                clean.set(entry.getKey(), item);
            }
        }
        return clean;
    }

    /** The permitted shape of {@code sealed} that knows the most of the fields of {@code node} (the first one on a tie). */
    private static Class<?> resembled(Class<?> sealed, JsonNode node) {
        Class<?> best = sealed;
        long known = -1;
        for (Class<?> shape : sealed.getPermittedSubclasses()) {
            Optional<? extends BeanIntrospection<?>> introspection = BeanIntrospector.SHARED.findIntrospection(shape);
            if (introspection.isPresent()) {
                long count = 0;
                for (Iterator<String> names = node.fieldNames(); names.hasNext(); ) {
                    count += introspection.get().getProperty(names.next()).isPresent() ? 1 : 0;
                }
                if (count > known) {
                    best = shape;
                    known = count;
                }
            }
        }
        return best;
    }

    private static JsonNode expect(boolean fits, JsonNode node, String path, String message, List<FieldProblem> problems) {
        if (fits) {
            return node;
        }
        problems.add(new FieldProblem(path.isEmpty() ? "body" : path, message));
        return null;
    }

    private static boolean isTimestamp(String text) {
        try {
            OffsetDateTime.parse(text);
            return true;
        } catch (DateTimeParseException e) {
            return false;
        }
    }

    private static String join(String parent, String child) {
        return parent.isEmpty() ? child : parent + "." + child;
    }
}
