package io.edgeplane.seedmanager.datacenter;

import java.util.ArrayList;
import java.util.List;

/** Collects the problems of one Seed file, placing each on the line that best shows it. */
final class ProblemList {

    private final String file;
    private final LineIndex lines;
    private final List<SeedProblem> problems = new ArrayList<>();

    ProblemList(String file, LineIndex lines) {
        this.file = file;
        this.lines = lines;
    }

    /** For problems with a name: unknown, duplicate or badly named keys, missing fields (on the parent's key). */
    void atKey(String path, String message) {
        at(lines.keyLine(path), path, message);
    }

    /** For problems with a value: wrong type, empty, malformed. */
    void atValue(String path, String message) {
        at(lines.valueLine(path), path, message);
    }

    int keyLineOf(String path) {
        return lines.keyLine(path);
    }

    void at(int line, String path, String message) {
        problems.add(new SeedProblem(file, line, path, message));
    }

    void addAll(List<SeedProblem> found) {
        problems.addAll(found);
    }

    boolean isEmpty() {
        return problems.isEmpty();
    }

    List<SeedProblem> toList() {
        // One fault can trip the same rule twice (e.g. via a $ref); say it once.
        return problems.stream().distinct().toList();
    }
}
