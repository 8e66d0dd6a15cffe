package io.edgeplane.provisioner.script;

/** Values as an error message may show them: quoted, control characters escaped, cut short. Never for a secret. */
final class ShownValues {
    private static final int MAX_SHOWN = 80;

    private ShownValues() {
    }

    /** {@code "value"}, or {@code null} without quotes. */
    static String quoted(String value) {
        if (value == null) {
            return "null";
        }
        String shown = value.length() > MAX_SHOWN ? value.substring(0, MAX_SHOWN) + "..." : value;
        return "\"" + printable(shown) + "\"";
    }

    static String printable(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder out = new StringBuilder();
        value.codePoints().forEach(c -> {
            if (c < 0x20 || c == 0x7f || c == '"' || c == '\\') {
                out.append(String.format("\\u%04x", c));
            } else {
                out.append(Character.toChars(c));
            }
        });
        return out.toString();
    }
}
