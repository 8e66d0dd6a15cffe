package io.edgeplane.seedmanager.datacenter;

import org.snakeyaml.engine.v2.exceptions.Mark;
import org.snakeyaml.engine.v2.exceptions.MarkedYamlEngineException;

import java.util.Optional;

/** Where a YAML syntax error is and how to say it in one line. */
final class YamlSyntaxError {

    private YamlSyntaxError() {
    }

    static int line(MarkedYamlEngineException e) {
        Optional<Mark> mark = unclosed(e) ? e.getContextMark() : e.getProblemMark().or(e::getContextMark);
        return mark.map(m -> m.getLine() + 1).orElse(1);
    }

    // A quote or bracket left open is only noticed at the end of the file; where it opened is what needs fixing.
    private static boolean unclosed(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "" : e.getProblem();
        return (problem.contains("end of stream") || problem.contains("<stream end>")) && e.getContextMark().isPresent();
    }

    /**
     * One line instead of snakeyaml's multi-line message with a snippet, e.g. "invalid YAML:
     * expected ',' or '}', but got <stream end> (while parsing a flow mapping started on line 5)".
     */
    static String message(MarkedYamlEngineException e) {
        String problem = e.getProblem() == null ? "syntax error" : e.getProblem().strip();
        String context = e.getContext() == null ? "" : e.getContext().strip();
        if (context.startsWith("expected a single document")) {
            return "the file holds more than one YAML document; a Seed file holds exactly one";
        }
        if (unclosed(e) && context.contains("quoted scalar")) {
            return "invalid YAML: the quoted value that starts on this line is never closed";
        }
        StringBuilder text = new StringBuilder("invalid YAML: ").append(problem);
        if (!context.isEmpty()) {
            text.append(" (").append(context);
            int reportedLine = line(e);
            e.getContextMark()
                    .filter(mark -> mark.getLine() + 1 != reportedLine)
                    .ifPresent(mark -> text.append(" started on line ").append(mark.getLine() + 1));
            text.append(')');
        }
        // The usual causes, which the raw messages never name.
        if (problem.contains("<block end>")) {
            text.append("; check the indentation");
        } else if (problem.contains("mapping values are not allowed")) {
            text.append("; check the indentation, or quote a value that contains \": \"");
        }
        return text.toString();
    }
}
