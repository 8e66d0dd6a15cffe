package io.edgeplane.provisioner.script;

/**
 * Reads a word the way bash reads it when it holds only single-quoted strings and backslash-escaped
 * quotes (what {@link ShellValues#quote} writes), and fails on anything else: any other character
 * outside quotes is one bash would interpret.
 */
final class BashSingleQuotes {
    private BashSingleQuotes() {
    }

    static String read(String word) {
        StringBuilder value = new StringBuilder();
        int i = 0;
        while (i < word.length()) {
            char c = word.charAt(i);
            if (c == '\'') {
                int close = word.indexOf('\'', i + 1);
                if (close < 0) {
                    throw new IllegalArgumentException("unterminated quote at " + i + ": " + word);
                }
                value.append(word, i + 1, close);
                i = close + 1;
            } else if (c == '\\' && i + 1 < word.length() && word.charAt(i + 1) == '\'') {
                value.append('\'');
                i += 2;
            } else {
                throw new IllegalArgumentException("unquoted character '" + c + "' at " + i + ": " + word);
            }
        }
        return value.toString();
    }
}
