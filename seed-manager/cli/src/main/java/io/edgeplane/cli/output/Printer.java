package io.edgeplane.cli.output;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;

import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;

/**
 * Writes API objects to stdout in the chosen format. JSON and YAML are the objects exactly as the API sends them
 * (a list is {@code {"items": [...]}}), with map keys sorted so the same state always prints the same bytes.
 */
public final class Printer {

    private final PrintWriter out;
    private final PrintWriter err;
    private final OutputFormat format;
    private final ObjectMapper mapper;
    private final ObjectMapper yaml;
    private int[] watchWidths;

    public Printer(PrintWriter out, PrintWriter err, OutputFormat format, ObjectMapper apiMapper) {
        this.out = out;
        this.err = err;
        this.format = format;
        this.mapper = apiMapper.copy().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);
        this.yaml = new ObjectMapper(new YAMLFactory()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .enable(YAMLGenerator.Feature.INDENT_ARRAYS_WITH_INDICATOR));
    }

    public OutputFormat format() {
        return format;
    }

    public JsonNode tree(Object value) {
        if (value instanceof JsonNode node) {
            return node;
        }
        // Through a string so maps come out with sorted keys.
        try {
            return mapper.readTree(mapper.writeValueAsString(value));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render " + value.getClass().getSimpleName(), e);
        }
    }

    public void object(Object value, List<Column> columns) {
        JsonNode node = tree(value);
        switch (format) {
            case JSON -> json(node);
            case YAML -> yaml(node);
            case TABLE, WIDE -> table(List.of(node), columns);
        }
        out.flush();
    }

    public void list(List<?> items, List<Column> columns) {
        ArrayNode array = mapper.createArrayNode();
        items.forEach(item -> array.add(tree(item)));
        switch (format) {
            case JSON, YAML -> {
                ObjectNode list = mapper.createObjectNode();
                list.set("items", array);
                if (format == OutputFormat.JSON) {
                    json(list);
                } else {
                    yaml(list);
                }
            }
            case TABLE, WIDE -> {
                if (array.isEmpty()) {
                    err.println("No resources found.");
                    err.flush();
                } else {
                    table(array, columns);
                }
            }
        }
        out.flush();
    }

    /** One change seen by a watch: a table row (header before the first), or one compact JSON line, or one YAML document. */
    public void change(Object value, List<Column> columns) {
        JsonNode node = tree(value);
        switch (format) {
            case JSON -> out.println(compact(node));
            case YAML -> {
                out.println("---");
                yaml(node);
            }
            case TABLE, WIDE -> watchRow(node, columns);
        }
        out.flush();
    }

    /** Text the user asked for as such (a kubeconfig, a script), written unchanged. */
    public void raw(String text) {
        out.print(text);
        if (!text.endsWith("\n")) {
            out.println();
        }
        out.flush();
    }

    public String compact(JsonNode node) {
        try {
            return mapper.writeValueAsString(node);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    private void json(JsonNode node) {
        try {
            out.println(mapper.writerWithDefaultPrettyPrinter().writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render JSON", e);
        }
    }

    private void yaml(JsonNode node) {
        try {
            out.print(yaml.writeValueAsString(node));
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot render YAML", e);
        }
    }

    private List<Column> visible(List<Column> columns) {
        return columns.stream().filter(c -> format == OutputFormat.WIDE || !c.wide()).toList();
    }

    private void table(Iterable<JsonNode> nodes, List<Column> columns) {
        List<Column> shown = visible(columns);
        Table table = new Table(shown.stream().map(Column::header).toList());
        nodes.forEach(node -> table.add(shown.stream().map(c -> c.value().apply(node)).toList()));
        table.lines(true).forEach(out::println);
    }

    private void watchRow(JsonNode node, List<Column> columns) {
        List<Column> shown = visible(columns);
        List<String> cells = shown.stream().map(c -> c.value().apply(node)).toList();
        if (watchWidths == null) {
            watchWidths = new int[shown.size()];
            for (int i = 0; i < shown.size(); i++) {
                // Room for typical values, so rows of a watch line up without knowing what comes later.
                watchWidths[i] = Math.max(shown.get(i).header().length(), Math.max(cells.get(i).length(), 12));
            }
            out.println(pad(shown.stream().map(c -> c.header().toUpperCase(Locale.ROOT)).toArray(String[]::new), watchWidths));
        }
        out.println(pad(cells.toArray(String[]::new), watchWidths));
    }

    private static String pad(String[] cells, int[] widths) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < cells.length; i++) {
            line.append(cells[i]);
            if (i < cells.length - 1) {
                line.append(" ".repeat(Math.max(0, widths[i] - cells[i].length()))).append("   ");
            }
        }
        return line.toString().stripTrailing();
    }
}
