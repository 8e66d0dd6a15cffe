package io.edgeplane.seedmanager.api;

import io.micronaut.core.annotation.Nullable;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * Reads a JSON request object field by field and collects every problem before failing, so a caller
 * sees all of its mistakes at once and nothing is written for a bad request.
 */
public final class RequestFields {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final Map<String, Object> body;
    private final List<FieldProblem> problems = new ArrayList<>();

    private RequestFields(Map<String, Object> body) {
        this.body = body == null ? Map.of() : body;
    }

    /** Starts reading; every key not in {@code allowed} is reported as an unknown field. */
    public static RequestFields of(@Nullable Map<String, Object> body, Set<String> allowed) {
        RequestFields fields = new RequestFields(body);
        fields.body.keySet().stream().filter(k -> !allowed.contains(k)).sorted()
                .forEach(k -> fields.problems.add(new FieldProblem(k, "unknown field")));
        return fields;
    }

    public @Nullable String string(String field, boolean required, int maxLength) {
        Object value = body.get(field);
        if (value == null) {
            if (required) {
                problems.add(new FieldProblem(field, "is required"));
            }
            return null;
        }
        if (!(value instanceof String s)) {
            problems.add(new FieldProblem(field, "must be a string"));
            return null;
        }
        if (s.length() > maxLength) {
            problems.add(new FieldProblem(field, "must be at most " + maxLength + " characters"));
            return null;
        }
        return s;
    }

    /** A Kubernetes-style DNS-1123 label: the form of every Edgeplane object name. */
    public @Nullable String dnsLabel(String field) {
        String value = string(field, true, 63);
        if (value != null && !DNS_LABEL.matcher(value).matches()) {
            problems.add(new FieldProblem(field, "must be a DNS-1123 label: lowercase letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 63 characters"));
            return null;
        }
        return value;
    }

    public @Nullable String oneOf(String field, boolean required, Set<String> values) {
        String value = string(field, required, 64);
        if (value != null && !values.contains(value)) {
            problems.add(new FieldProblem(field, "must be one of " + values.stream().sorted().toList()));
            return null;
        }
        return value;
    }

    public @Nullable Instant instant(String field) {
        String value = string(field, false, 64);
        if (value == null) {
            return null;
        }
        try {
            return Instant.parse(value);
        } catch (DateTimeParseException e) {
            problems.add(new FieldProblem(field, "must be an RFC 3339 timestamp such as 2030-01-31T12:00:00Z"));
            return null;
        }
    }

    public void problem(String field, String message) {
        problems.add(new FieldProblem(field, message));
    }

    /** Throws a 422 listing every problem found so far. */
    public void check() {
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }
}
