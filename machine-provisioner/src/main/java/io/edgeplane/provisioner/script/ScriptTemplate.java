package io.edgeplane.provisioner.script;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A script of bootstrap-scripts as packaged in its jar ({@code edgeplane/bootstrap-scripts/}),
 * turned into one self-contained file: its values block replaced by rendered values, and each
 * {@code source "$SCRIPT_DIR/lib/..."} of its sources block replaced by that file's text.
 */
final class ScriptTemplate {
    static final String RESOURCE_ROOT = "edgeplane/bootstrap-scripts/";
    private static final String SOURCES_BEGIN = "# >>> edgeplane:sources";
    private static final String SOURCES_END = "# <<< edgeplane:sources";
    private static final Pattern SOURCE = Pattern.compile("source \"\\$SCRIPT_DIR/(lib/[a-z0-9-]+\\.sh)\"");

    private final String name;
    private final String text;

    private ScriptTemplate(String name, String text) {
        this.name = name;
        this.text = text;
    }

    /** {@code provision.sh}, {@code deprovision.sh}, ... from the classpath. */
    static ScriptTemplate load(String name) {
        return new ScriptTemplate(name, resource(name));
    }

    String render(ShellValues values) {
        String withValues = replaceBlock(text, ShellValues.BEGIN, ShellValues.END, values.render());
        return replaceBlock(withValues, SOURCES_BEGIN, SOURCES_END, inlinedSources(block(withValues, SOURCES_BEGIN, SOURCES_END)));
    }

    /** The sourced files' text in order; anything else in the block but comments and SCRIPT_DIR is an error. */
    private String inlinedSources(String block) {
        StringBuilder out = new StringBuilder();
        for (String line : block.lines().toList()) {
            Matcher source = SOURCE.matcher(line);
            if (source.matches()) {
                out.append("# --- ").append(source.group(1)).append(" (inlined) ").append("-".repeat(60)).append('\n');
                out.append(withoutShebang(resource(source.group(1))));
            } else if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("SCRIPT_DIR=")) {
                throw new IllegalStateException(name + ": unexpected line in its sources block: " + line);
            }
        }
        out.append("# --- end of inlined files ").append("-".repeat(66)).append('\n');
        return out.toString();
    }

    private String replaceBlock(String script, String begin, String end, String replacement) {
        int from = lineStart(script, begin);
        int to = script.indexOf('\n', lineStart(script, end)) + 1;
        return script.substring(0, from) + replacement + script.substring(to);
    }

    private String block(String script, String begin, String end) {
        return script.substring(lineStart(script, begin), lineStart(script, end));
    }

    private int lineStart(String script, String marker) {
        int at = script.indexOf("\n" + marker + "\n");
        if (at < 0 || script.indexOf("\n" + marker + "\n", at + 1) >= 0) {
            throw new IllegalStateException(name + " must hold the line \"" + marker + "\" exactly once");
        }
        return at + 1;
    }

    private static String withoutShebang(String script) {
        List<String> lines = script.lines().toList();
        int first = !lines.isEmpty() && lines.get(0).startsWith("#!") ? 1 : 0;
        return String.join("\n", lines.subList(first, lines.size())) + "\n";
    }

    private static String resource(String path) {
        try (InputStream in = ScriptTemplate.class.getClassLoader().getResourceAsStream(RESOURCE_ROOT + path)) {
            if (in == null) {
                throw new IllegalStateException("bootstrap script " + RESOURCE_ROOT + path
                        + " is not on the classpath (the edgeplane-bootstrap-scripts jar)");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
