package io.edgeplane.seedmanager.datacenter;

import java.util.HashMap;
import java.util.Map;

/**
 * Where each field of a Seed document sits in its file. Keys and values are kept apart because
 * they differ for block values: in {@code spec:\n  country: DE} the key {@code spec} is on one
 * line and its mapping starts on the next.
 */
final class LineIndex {

    private final Map<String, Integer> keyLines = new HashMap<>();
    private final Map<String, Integer> valueLines = new HashMap<>();

    void recordKey(String path, int line) {
        keyLines.put(path, line);
    }

    void recordValue(String path, int line) {
        valueLines.put(path, line);
    }

    /** Line of the key that names the field; list items and the root fall back to their value line. */
    int keyLine(String path) {
        Integer line = keyLines.get(path);
        if (line == null) {
            line = valueLines.get(path);
        }
        return line != null ? line : enclosing(path);
    }

    /** Line where the field's value starts. */
    int valueLine(String path) {
        Integer line = valueLines.get(path);
        if (line == null) {
            line = keyLines.get(path);
        }
        return line != null ? line : enclosing(path);
    }

    private int enclosing(String path) {
        return path.isEmpty() ? 1 : keyLine(FieldPath.parent(path));
    }
}
