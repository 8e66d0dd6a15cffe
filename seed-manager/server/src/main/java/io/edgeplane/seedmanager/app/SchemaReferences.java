package io.edgeplane.seedmanager.app;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;

/**
 * The local references of a JSON Schema, checked for loops: a reference that reaches itself while
 * the instance stays where it is ({@code {"$ref": "#"}}, two definitions naming each other) would
 * make every validation recurse without end. A loop through {@code properties} or {@code items}
 * is fine, since the instance is finite.
 */
final class SchemaReferences {
    private static final Set<String> REFERENCES = Set.of("$ref", "$dynamicRef", "$recursiveRef");
    private static final Set<String> SAME_INSTANCE_ONE = Set.of("not", "if", "then", "else");
    private static final Set<String> SAME_INSTANCE_MANY = Set.of("allOf", "anyOf", "oneOf");

    /** Each subschema by JSON pointer, with its field path for messages. */
    private final Map<String, JsonNode> schemas = new HashMap<>();
    private final Map<String, String> paths = new HashMap<>();
    private final Map<String, String> anchors = new HashMap<>();

    private SchemaReferences(JsonNode root, String field) {
        index(root, "", field);
    }

    /** The path of a reference that loops without the instance descending, if there is one. */
    static Optional<String> endlessLoop(JsonNode root, String field) {
        SchemaReferences references = new SchemaReferences(root, field);
        Set<String> finished = new HashSet<>();
        for (String pointer : references.schemas.keySet().stream().sorted().toList()) {
            if (!finished.contains(pointer)) {
                Optional<String> loop = references.visit(pointer, finished);
                if (loop.isPresent()) {
                    return loop;
                }
            }
        }
        return Optional.empty();
    }

    /** Depth-first, without recursion (a schema may chain thousands of references). */
    private Optional<String> visit(String start, Set<String> finished) {
        Set<String> onPath = new HashSet<>();
        Deque<Map.Entry<String, Iterator<Map.Entry<String, String>>>> path = new ArrayDeque<>();
        onPath.add(start);
        path.push(Map.entry(start, sameInstance(start).entrySet().iterator()));
        while (!path.isEmpty()) {
            Iterator<Map.Entry<String, String>> edges = path.peek().getValue();
            if (!edges.hasNext()) {
                String done = path.pop().getKey();
                onPath.remove(done);
                finished.add(done);
                continue;
            }
            Map.Entry<String, String> edge = edges.next();
            String target = edge.getKey();
            if (onPath.contains(target)) {
                return Optional.of(edge.getValue());
            }
            if (!finished.contains(target)) {
                onPath.add(target);
                path.push(Map.entry(target, sameInstance(target).entrySet().iterator()));
            }
        }
        return Optional.empty();
    }

    /** The subschemas applied to the same instance as the one at {@code pointer}, each with the path of the keyword that applies it. */
    private Map<String, String> sameInstance(String pointer) {
        Map<String, String> next = new TreeMap<>();
        JsonNode schema = schemas.get(pointer);
        String path = paths.get(pointer);
        Iterator<Map.Entry<String, JsonNode>> fields = schema.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> entry = fields.next();
            String key = entry.getKey();
            JsonNode value = entry.getValue();
            String child = pointer + "/" + escape(key);
            if (REFERENCES.contains(key) && value.isTextual()) {
                target(value.asText()).ifPresent(t -> next.put(t, path + "." + key));
            } else if (SAME_INSTANCE_ONE.contains(key) && value.isObject()) {
                next.put(child, path + "." + key);
            } else if (SAME_INSTANCE_MANY.contains(key) && value.isArray()) {
                for (int i = 0; i < value.size(); i++) {
                    next.put(child + "/" + i, path + "." + key + "[" + i + "]");
                }
            } else if (key.equals("dependentSchemas") && value.isObject()) {
                value.fieldNames().forEachRemaining(name -> next.put(child + "/" + escape(name), path + "." + key + "." + name));
            }
        }
        next.keySet().retainAll(schemas.keySet());
        return next;
    }

    private Optional<String> target(String reference) {
        if (!reference.startsWith("#")) {
            return Optional.empty();
        }
        String fragment = reference.substring(1);
        if (fragment.isEmpty() || fragment.startsWith("/")) {
            return Optional.of(fragment);
        }
        return Optional.ofNullable(anchors.get(fragment));
    }

    private void index(JsonNode node, String pointer, String path) {
        if (node.isArray()) {
            for (int i = 0; i < node.size(); i++) {
                index(node.get(i), pointer + "/" + i, path + "[" + i + "]");
            }
            return;
        }
        if (!node.isObject()) {
            return;
        }
        schemas.put(pointer, node);
        paths.put(pointer, path);
        for (String anchor : List.of("$anchor", "$dynamicAnchor")) {
            if (node.path(anchor).isTextual()) {
                anchors.putIfAbsent(node.path(anchor).asText(), pointer);
            }
        }
        node.fields().forEachRemaining(e -> index(e.getValue(), pointer + "/" + escape(e.getKey()), path + "." + e.getKey()));
    }

    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
