package io.edgeplane.seedmanager.datacenter;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.micronaut.core.annotation.Nullable;
import org.snakeyaml.engine.v2.api.ConstructNode;
import org.snakeyaml.engine.v2.api.LoadSettings;
import org.snakeyaml.engine.v2.api.lowlevel.Compose;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;
import org.snakeyaml.engine.v2.exceptions.YamlEngineException;
import org.snakeyaml.engine.v2.nodes.MappingNode;
import org.snakeyaml.engine.v2.nodes.Node;
import org.snakeyaml.engine.v2.nodes.NodeTuple;
import org.snakeyaml.engine.v2.nodes.ScalarNode;
import org.snakeyaml.engine.v2.nodes.SequenceNode;
import org.snakeyaml.engine.v2.nodes.Tag;
import org.snakeyaml.engine.v2.schema.CoreSchema;

import java.math.BigInteger;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A YAML document as a Jackson tree plus the line of every field. Composing to YAML nodes (rather
 * than loading Java objects) keeps the marks needed for line numbers and lets duplicate keys be
 * reported instead of silently overwritten.
 */
final class YamlTree {

    private final @Nullable JsonNode root;
    private final LineIndex lines;
    private final List<SeedProblem> problems;

    private YamlTree(@Nullable JsonNode root, LineIndex lines, List<SeedProblem> problems) {
        this.root = root;
        this.lines = lines;
        this.problems = problems;
    }

    /** The document as JSON, or null when there is no mapping to validate (syntax error, empty, not a mapping). */
    @Nullable
    JsonNode root() {
        return root;
    }

    LineIndex lines() {
        return lines;
    }

    /** Syntax errors, duplicate keys, non-string keys, unsupported tags. */
    List<SeedProblem> problems() {
        return problems;
    }

    static YamlTree parse(String text, String file) {
        LoadSettings settings = LoadSettings.builder()
                .setLabel(file)
                // YAML 1.2 core rules, so "country: NO" stays a string.
                .setSchema(new CoreSchema())
                .build();
        LineIndex lines = new LineIndex();
        ProblemList problems = new ProblemList(file, lines);
        Optional<Node> document;
        try {
            document = new Compose(settings).composeString(text);
        } catch (MarkedYamlEngineException e) {
            problems.at(YamlSyntaxError.line(e), FieldPath.ROOT, YamlSyntaxError.message(e));
            return new YamlTree(null, lines, problems.toList());
        } catch (YamlEngineException e) {
            problems.at(1, FieldPath.ROOT, "cannot read YAML: " + e.getMessage());
            return new YamlTree(null, lines, problems.toList());
        }
        if (document.isEmpty() || isNull(document.get())) {
            problems.at(1, FieldPath.ROOT, "the file is empty: expected a Seed with apiVersion, kind, metadata and spec");
            return new YamlTree(null, lines, problems.toList());
        }
        Node node = document.get();
        if (!(node instanceof MappingNode)) {
            problems.at(line(node), FieldPath.ROOT,
                    "the document must be a mapping with apiVersion, kind, metadata and spec, not " + describe(node));
            return new YamlTree(null, lines, problems.toList());
        }
        JsonNode root = new Converter(settings, lines, problems).convert(node, FieldPath.ROOT);
        return new YamlTree(root, lines, problems.toList());
    }

    private static final class Converter {
        private final Map<Tag, ConstructNode> scalarConstructors;
        private final LineIndex lines;
        private final ProblemList problems;
        // Aliases may point at an enclosing node; walking that would never end.
        private final Set<Node> onPath = Collections.newSetFromMap(new IdentityHashMap<>());

        Converter(LoadSettings settings, LineIndex lines, ProblemList problems) {
            this.scalarConstructors = settings.getSchema().getSchemaTagConstructors();
            this.lines = lines;
            this.problems = problems;
        }

        JsonNode convert(Node node, String path) {
            lines.recordValue(path, line(node));
            if (!onPath.add(node)) {
                problems.atValue(path, "an alias refers to an enclosing node; recursive structures are not allowed");
                return JsonNodeFactory.instance.nullNode();
            }
            try {
                if (node instanceof MappingNode mapping) {
                    return mapping(mapping, path);
                }
                if (node instanceof SequenceNode sequence) {
                    return sequence(sequence, path);
                }
                return scalar((ScalarNode) node, path);
            } finally {
                onPath.remove(node);
            }
        }

        private ObjectNode mapping(MappingNode mapping, String path) {
            ObjectNode object = JsonNodeFactory.instance.objectNode();
            for (NodeTuple entry : mapping.getValue()) {
                Node keyNode = entry.getKeyNode();
                if (!(keyNode instanceof ScalarNode key)) {
                    problems.at(line(keyNode), path, "keys must be plain text, not " + describe(keyNode));
                    continue;
                }
                String name = key.getValue();
                String child = FieldPath.child(path, name);
                if (object.has(name)) {
                    problems.at(line(key), child, "duplicate key: already defined on line " + lines.keyLine(child));
                    continue;
                }
                lines.recordKey(child, line(key));
                object.set(name, convert(entry.getValueNode(), child));
            }
            return object;
        }

        private ArrayNode sequence(SequenceNode sequence, String path) {
            ArrayNode array = JsonNodeFactory.instance.arrayNode();
            List<Node> items = sequence.getValue();
            for (int i = 0; i < items.size(); i++) {
                array.add(convert(items.get(i), FieldPath.item(path, i)));
            }
            return array;
        }

        private JsonNode scalar(ScalarNode scalar, String path) {
            Tag tag = scalar.getTag();
            if (tag.equals(Tag.STR)) {
                return JsonNodeFactory.instance.textNode(scalar.getValue());
            }
            ConstructNode constructor = scalarConstructors.get(tag);
            if (constructor == null) {
                problems.atValue(path, "unsupported YAML tag " + tagName(tag));
                return JsonNodeFactory.instance.textNode(scalar.getValue());
            }
            try {
                return json(constructor.construct(scalar));
            } catch (RuntimeException e) {
                problems.atValue(path, "cannot read \"" + scalar.getValue() + "\" as " + tagName(tag));
                return JsonNodeFactory.instance.textNode(scalar.getValue());
            }
        }

        private static JsonNode json(@Nullable Object value) {
            JsonNodeFactory factory = JsonNodeFactory.instance;
            if (value == null) {
                return factory.nullNode();
            }
            if (value instanceof Boolean b) {
                return factory.booleanNode(b);
            }
            if (value instanceof Integer i) {
                return factory.numberNode(i);
            }
            if (value instanceof Long l) {
                return factory.numberNode(l);
            }
            if (value instanceof BigInteger big) {
                return factory.numberNode(big);
            }
            if (value instanceof Double d) {
                return factory.numberNode(d);
            }
            return factory.textNode(value.toString());
        }
    }

    private static boolean isNull(Node node) {
        return node instanceof ScalarNode scalar && scalar.getTag().equals(Tag.NULL);
    }

    private static int line(Node node) {
        return node.getStartMark().map(mark -> mark.getLine() + 1).orElse(1);
    }

    private static String describe(Node node) {
        if (node instanceof MappingNode) {
            return "a mapping";
        }
        return node instanceof SequenceNode ? "a list" : "a single value";
    }

    private static String tagName(Tag tag) {
        String value = tag.getValue();
        return value.startsWith(Tag.PREFIX) ? "!!" + value.substring(Tag.PREFIX.length()) : value;
    }
}
