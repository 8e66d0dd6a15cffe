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
 * @deprecated request bodies are {@code @Serdeable} records validated with Bean Validation; this class goes once
 * the last hand-parsed bodies are converted (issue 12).
 * <p>
 * Reads a JSON request object field by field and collects every problem before failing, so a caller
 * sees all of its mistakes at once and nothing is written for a bad request.
 */
@Deprecated
public final class RequestFields {
    private static final Pattern DNS_LABEL = Pattern.compile("[a-z0-9]([-a-z0-9]*[a-z0-9])?");

    private final Map<String, Object> body;
    private final List<FieldProblem> problems;
    private final String prefix;

    private RequestFields(Map<String, Object> body, List<FieldProblem> problems, String prefix) {
        this.body = body == null ? Map.of() : body;
        this.problems = problems;
        this.prefix = prefix;
    }

    /** Starts reading; every key not in {@code allowed} is reported as an unknown field. */
    public static RequestFields of(@Nullable Map<String, Object> body, Set<String> allowed) {
        return new RequestFields(body, new ArrayList<>(), "").allowing(allowed);
    }

    private RequestFields allowing(Set<String> allowed) {
        body.keySet().stream().filter(k -> !allowed.contains(k)).sorted().forEach(k -> problem(k, "unknown field"));
        return this;
    }

    /**
     * A nested object, read with the same rules; its problems are reported under {@code field.}
     * and make {@link #check()} of this (outer) reader fail. Empty when absent or not an object.
     */
    public java.util.Optional<RequestFields> object(String field, boolean required, Set<String> allowed) {
        Object value = body.get(field);
        if (value == null) {
            if (required) {
                problem(field, "is required");
            }
            return java.util.Optional.empty();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problem(field, "must be an object");
            return java.util.Optional.empty();
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> nested = (Map<String, Object>) map;
        return java.util.Optional.of(new RequestFields(nested, problems, path(field) + ".").allowing(allowed));
    }

    /** Each element of a list of objects, read with the same rules ({@code field[i].key}). */
    public List<RequestFields> objects(String field, Set<String> allowed, int maxItems) {
        Object value = body.get(field);
        if (value == null) {
            return List.of();
        }
        if (!(value instanceof List<?> list) || list.size() > maxItems) {
            problem(field, "must be a list of at most " + maxItems + " objects");
            return List.of();
        }
        List<RequestFields> items = new ArrayList<>();
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof Map<?, ?> map) {
                @SuppressWarnings("unchecked")
                Map<String, Object> nested = (Map<String, Object>) map;
                items.add(new RequestFields(nested, problems, path(field) + "[" + i + "].").allowing(allowed));
            } else {
                problem(field + "[" + i + "]", "must be an object");
            }
        }
        return items;
    }

    /** A string-to-string map such as labels; keys are checked by the caller. */
    public Map<String, String> stringMap(String field, int maxEntries) {
        Object value = body.get(field);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map) || map.size() > maxEntries) {
            problem(field, "must be an object of at most " + maxEntries + " string values");
            return Map.of();
        }
        Map<String, String> result = new java.util.TreeMap<>();
        map.forEach((k, v) -> {
            if (v instanceof String text) {
                result.put(k.toString(), text);
            } else {
                problem(field + "." + k, "must be a string");
            }
        });
        return result;
    }

    /** A boolean; {@code fallback} when absent. */
    public boolean bool(String field, boolean fallback) {
        Object value = body.get(field);
        if (value == null) {
            return fallback;
        }
        if (!(value instanceof Boolean flag)) {
            problem(field, "must be true or false");
            return fallback;
        }
        return flag;
    }

    /** A list of strings; null when absent or not a list of at most {@code maxItems} strings (reported by index). */
    public @Nullable List<String> strings(String field, int maxItems, int maxLength) {
        Object value = body.get(field);
        if (value == null) {
            return null;
        }
        if (!(value instanceof List<?> list) || list.size() > maxItems) {
            problem(field, "must be a list of at most " + maxItems + " strings");
            return null;
        }
        List<String> result = new ArrayList<>();
        boolean valid = true;
        for (int i = 0; i < list.size(); i++) {
            if (list.get(i) instanceof String text && text.length() <= maxLength) {
                result.add(text);
            } else {
                problem(field + "[" + i + "]", "must be a string of at most " + maxLength + " characters");
                valid = false;
            }
        }
        return valid ? result : null;
    }

    /**
     * A free-form JSON object (its content is the caller's to check); an empty map when absent,
     * null when it is not an object.
     */
    public @Nullable Map<String, Object> freeObject(String field) {
        Object value = body.get(field);
        if (value == null) {
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> map)) {
            problem(field, "must be an object");
            return null;
        }
        @SuppressWarnings("unchecked")
        Map<String, Object> object = (Map<String, Object>) map;
        return object;
    }

    /** True when the body has {@code field} (even with a null value). */
    public boolean present(String field) {
        return body.containsKey(field);
    }

    public @Nullable Integer integer(String field, boolean required, int min, int max) {
        Object value = body.get(field);
        if (value == null) {
            if (required) {
                problem(field, "is required");
            }
            return null;
        }
        if (!(value instanceof Number number) || number.doubleValue() != Math.rint(number.doubleValue())
                || number.longValue() < min || number.longValue() > max) {
            problem(field, "must be a whole number from " + min + " to " + max);
            return null;
        }
        return number.intValue();
    }

    private String path(String field) {
        return prefix + field;
    }

    public @Nullable String string(String field, boolean required, int maxLength) {
        Object value = body.get(field);
        if (value == null) {
            if (required) {
                problem(field, "is required");
            }
            return null;
        }
        if (!(value instanceof String s)) {
            problem(field, "must be a string");
            return null;
        }
        if (s.length() > maxLength) {
            problem(field, "must be at most " + maxLength + " characters");
            return null;
        }
        return s;
    }

    /** A Kubernetes-style DNS-1123 label: the form of every Edgeplane object name. */
    public @Nullable String dnsLabel(String field) {
        String value = string(field, true, 63);
        if (value != null && !DNS_LABEL.matcher(value).matches()) {
            problem(field, "must be a DNS-1123 label: lowercase letters, digits and '-', "
                    + "starting and ending with a letter or digit, at most 63 characters");
            return null;
        }
        return value;
    }

    public @Nullable String oneOf(String field, boolean required, Set<String> values) {
        String value = string(field, required, 64);
        if (value != null && !values.contains(value)) {
            problem(field, "must be one of " + values.stream().sorted().toList());
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
            problem(field, "must be an RFC 3339 timestamp such as 2030-01-31T12:00:00Z");
            return null;
        }
    }

    public void problem(String field, String message) {
        problems.add(new FieldProblem(path(field), message));
    }

    /** Throws a 422 listing every problem found so far. */
    public void check() {
        if (!problems.isEmpty()) {
            throw ApiException.invalid(problems);
        }
    }
}
