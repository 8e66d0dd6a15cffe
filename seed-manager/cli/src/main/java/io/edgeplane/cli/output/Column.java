package io.edgeplane.cli.output;

import com.fasterxml.jackson.databind.JsonNode;

import java.time.Clock;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * One table column, read from the object's JSON as the API sends it (so a table shows exactly what {@code -o json}
 * would, and does not care how the generated model names its getters).
 *
 * @param wide shown only with {@code -o wide}
 */
public record Column(String header, Function<JsonNode, String> value, boolean wide) {

    public static Column of(String header, Function<JsonNode, String> value) {
        return new Column(header, value, false);
    }

    /** A field by its dotted path, e.g. {@code status.phase}; empty when absent. */
    public static Column field(String header, String path) {
        return of(header, node -> text(at(node, path)));
    }

    /** How long ago the timestamp at {@code path} was, as kubectl writes ages: 45s, 12m, 3h, 5d. */
    public static Column age(String header, String path, Clock clock) {
        return of(header, node -> {
            String value = text(at(node, path));
            if (value.isEmpty()) {
                return "";
            }
            try {
                return age(Duration.between(OffsetDateTime.parse(value).toInstant(), clock.instant()));
            } catch (DateTimeParseException e) {
                return value;
            }
        });
    }

    public Column wideOnly() {
        return new Column(header, value, true);
    }

    public static JsonNode at(JsonNode node, String path) {
        JsonNode current = node;
        for (String part : path.split("\\.")) {
            current = current.path(part);
        }
        return current;
    }

    /** Scalars as text, arrays joined by commas, objects as {@code k=v} pairs; missing and null as empty. */
    public static String text(JsonNode node) {
        if (node == null || node.isMissingNode() || node.isNull()) {
            return "";
        }
        if (node.isArray()) {
            List<String> parts = new ArrayList<>();
            node.forEach(element -> parts.add(text(element)));
            return String.join(",", parts);
        }
        if (node.isObject()) {
            List<String> parts = new ArrayList<>();
            for (Map.Entry<String, JsonNode> field : node.properties()) {
                parts.add(field.getKey() + "=" + text(field.getValue()));
            }
            return String.join(",", parts);
        }
        return node.asText();
    }

    static String age(Duration elapsed) {
        long seconds = Math.max(0, elapsed.toSeconds());
        if (seconds < 120) {
            return seconds + "s";
        }
        if (seconds < 2 * 3600) {
            return seconds / 60 + "m";
        }
        if (seconds < 2 * 86400) {
            return seconds / 3600 + "h";
        }
        return seconds / 86400 + "d";
    }
}
