package io.edgeplane.provisioner.script;

import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The rendered values block of a script: one bash assignment per value, every value single-quoted.
 * Inside single quotes bash interprets nothing; a quote in a value ends the quoting, adds an escaped
 * quote and quotes again, so no value can run as code.
 */
final class ShellValues {
    static final String BEGIN = "# >>> edgeplane:values";
    static final String END = "# <<< edgeplane:values";
    private static final Pattern NAME = Pattern.compile("EP_[A-Z0-9_]+");

    private final StringBuilder block = new StringBuilder();

    ShellValues(String description) {
        block.append(BEGIN).append('\n');
        block.append("# ").append(description).append('\n');
        block.append("# Rendered by machine-provisioner; each value is single-quoted. Do not edit: render again.\n");
    }

    ShellValues value(String name, String value) {
        block.append(checkedName(name)).append('=').append(quote(value == null ? "" : value)).append('\n');
        return this;
    }

    ShellValues array(String name, List<String> values) {
        block.append(checkedName(name)).append("=(")
                .append(values.stream().map(ShellValues::quote).collect(Collectors.joining(" ")))
                .append(")\n");
        return this;
    }

    String render() {
        return block + END + "\n";
    }

    /** {@code 'value'}, with each {@code '} written as {@code '\''}. */
    static String quote(String value) {
        if (value.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("a shell value cannot hold a NUL character");
        }
        return "'" + value.replace("'", "'\\''") + "'";
    }

    private static String checkedName(String name) {
        if (!NAME.matcher(name).matches()) {
            throw new IllegalArgumentException("not a rendered variable name: " + name);
        }
        return name;
    }
}
