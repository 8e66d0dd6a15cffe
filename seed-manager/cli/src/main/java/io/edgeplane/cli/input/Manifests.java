package io.edgeplane.cli.input;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.RFC3339JavaTimeModule;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.TreeSet;
import java.util.function.Function;

/**
 * Reads a request body from a YAML (or JSON) file into the generated model of the operation, strictly: a file that
 * does not parse, a field the API does not know, or a value of the wrong type is reported with its line and field
 * path before any request is sent.
 */
public final class Manifests {

    private final ObjectMapper yaml = new ObjectMapper(new YAMLFactory())
            .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES)
            .enable(DeserializationFeature.READ_ENUMS_USING_TO_STRING)
            .disable(DeserializationFeature.ADJUST_DATES_TO_CONTEXT_TIME_ZONE)
            .registerModule(new JavaTimeModule())
            .registerModule(new RFC3339JavaTimeModule());
    private final InputStream stdin;

    public Manifests(InputStream stdin) {
        this.stdin = stdin;
    }

    /** {@code file} "-" reads stdin. */
    public <T> T read(String file, Class<T> type) {
        return parse(file, text(file), type);
    }

    /** For a body of several shapes: {@code shape} picks the type from the file's top-level fields. */
    public <T> T read(String file, Function<JsonNode, Class<? extends T>> shape) {
        String text = text(file);
        JsonNode tree;
        try {
            tree = yaml.readTree(text);
        } catch (JsonProcessingException e) {
            throw new CliFailure(ExitCode.USAGE, file + ": not YAML or JSON: " + e.getOriginalMessage() + at(e), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new CliFailure(ExitCode.USAGE, file + ": not an object (a mapping of fields)");
        }
        return parse(file, text, shape.apply(tree));
    }

    private <T> T parse(String file, String text, Class<T> type) {
        if (text.isBlank()) {
            throw new CliFailure(ExitCode.USAGE, file + ": empty");
        }
        try {
            T value = yaml.readValue(text, type);
            if (value == null) {
                throw new CliFailure(ExitCode.USAGE, file + ": no object in it");
            }
            return value;
        } catch (UnrecognizedPropertyException e) {
            throw new CliFailure(ExitCode.USAGE, file + ": unknown field '" + path(e, e.getPropertyName()) + "'" + at(e)
                    + "; known here: " + String.join(", ", new TreeSet<>(e.getKnownPropertyIds().stream().map(String::valueOf).toList())), e);
        } catch (JsonMappingException e) {
            throw new CliFailure(ExitCode.USAGE, file + ": " + (e.getPath().isEmpty() ? "" : "field '" + path(e, null) + "': ")
                    + e.getOriginalMessage().replaceAll(" \\((class|token) [^)]*\\)", "").replaceAll("`[a-z.]+\\.([A-Z]\\w*)`", "$1") + at(e), e);
        } catch (JsonProcessingException e) {
            throw new CliFailure(ExitCode.USAGE, file + ": not YAML or JSON: " + e.getOriginalMessage() + at(e), e);
        }
    }

    private String text(String file) {
        try {
            if ("-".equals(file)) {
                return new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
            }
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new CliFailure(ExitCode.USAGE, file + ": no such file", e);
        } catch (IOException e) {
            throw new CliFailure(ExitCode.USAGE, file + ": cannot read: " + e.getMessage(), e);
        }
    }

    /** The dotted path the API also uses in its problems: {@code workloads[0].config.port}. */
    private static String path(JsonMappingException e, String last) {
        StringBuilder path = new StringBuilder();
        for (JsonMappingException.Reference reference : e.getPath()) {
            if (reference.getIndex() >= 0) {
                path.append('[').append(reference.getIndex()).append(']');
            } else if (reference.getFieldName() != null) {
                if (!path.isEmpty()) {
                    path.append('.');
                }
                path.append(reference.getFieldName());
            }
        }
        if (last != null && !path.toString().endsWith(last)) {
            path.append(path.isEmpty() ? "" : ".").append(last);
        }
        return path.toString();
    }

    private static String at(JsonProcessingException e) {
        return e.getLocation() == null ? "" : " (line " + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr() + ")";
    }
}
