package io.edgeplane.seedmanager.datacenter;

import java.util.Comparator;

/**
 * One thing wrong with a Seed file, located precisely enough for an operator to fix it.
 * {@link #toString()} reads like a compiler message: {@code seed.yaml:12: spec.country: must be a string}.
 *
 * @param file    the file name as given to the parser
 * @param line    1-based line; 0 when the problem concerns the whole file (e.g. it cannot be read)
 * @param field   dotted path from the document root, list items as {@code [i]}; empty when the
 *                problem is not about one field (e.g. a YAML syntax error)
 * @param message short English sentence saying what is wrong
 */
public record SeedProblem(String file, int line, String field, String message) {

    /** Order in which problems are reported: by line, then field, then message. */
    public static final Comparator<SeedProblem> REPORT_ORDER = Comparator.comparingInt(SeedProblem::line)
            .thenComparing(SeedProblem::field)
            .thenComparing(SeedProblem::message);

    @Override
    public String toString() {
        StringBuilder text = new StringBuilder(file);
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (!field.isEmpty()) {
            text.append(field).append(": ");
        }
        return text.append(message).toString();
    }
}
