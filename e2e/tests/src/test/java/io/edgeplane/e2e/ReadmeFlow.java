package io.edgeplane.e2e;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Shell lines of the README, so that a test runs exactly what a reader would type: the {@code sh}
 * blocks between {@code <!-- <name> -->} and {@code <!-- /<name> -->}.
 */
final class ReadmeFlow {
    private static final Pattern SH_BLOCK = Pattern.compile("```sh\\n(.*?)```", Pattern.DOTALL);

    private ReadmeFlow() {
    }

    static String read(Path readme, String name) throws IOException {
        String text = Files.readString(readme);
        String start = "<!-- " + name + " -->";
        String end = "<!-- /" + name + " -->";
        int from = text.indexOf(start);
        int to = text.indexOf(end);
        if (from < 0 || to < from) {
            throw new AssertionError(readme + " has no section marked " + start + " ... " + end);
        }
        StringBuilder lines = new StringBuilder();
        Matcher block = SH_BLOCK.matcher(text.substring(from, to));
        while (block.find()) {
            lines.append(block.group(1));
        }
        if (lines.isEmpty()) {
            throw new AssertionError("the README section " + name + " has no sh block");
        }
        return lines.toString();
    }
}
