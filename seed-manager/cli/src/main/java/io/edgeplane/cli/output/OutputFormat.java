package io.edgeplane.cli.output;

import java.util.Locale;

/** {@code -o}: a table for people (wide adds columns), JSON or YAML of the API's own objects for scripts. */
public enum OutputFormat {
    TABLE, WIDE, JSON, YAML;

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
