package io.edgeplane.imagebase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * Paths left out of the base ({@code base-excludes.txt}): one glob per line, matched against the
 * canonical path (no leading slash); a matched directory goes with everything under it. {@code *}
 * and {@code ?} stay within one path segment, {@code **} crosses segments. Matched as strings, not
 * as {@link Path}s: package paths need not be valid in the build's file-name encoding (a bare
 * {@code LANG} makes it ASCII, and ca-certificates ships non-ASCII file names).
 */
public final class Exclusions implements Predicate<String> {

    private final List<Pattern> matchers;

    private Exclusions(List<Pattern> matchers) {
        this.matchers = matchers;
    }

    public static Exclusions read(Path file) throws IOException {
        List<String> globs = new ArrayList<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("/")) {
                throw new IllegalArgumentException(file.getFileName() + " line " + (i + 1)
                        + ": write '" + line.substring(1) + "', patterns have no leading slash");
            }
            globs.add(line);
        }
        return of(globs);
    }

    public static Exclusions of(List<String> globs) {
        List<Pattern> matchers = new ArrayList<>();
        for (String glob : globs) {
            matchers.add(regex(glob));
        }
        return new Exclusions(matchers);
    }

    @Override
    public boolean test(String path) {
        for (int slash = path.indexOf('/'); ; slash = path.indexOf('/', slash + 1)) {
            String prefix = slash < 0 ? path : path.substring(0, slash);
            for (Pattern m : matchers) {
                if (m.matcher(prefix).matches()) {
                    return true;
                }
            }
            if (slash < 0) {
                return false;
            }
        }
    }

    private static Pattern regex(String glob) {
        StringBuilder regex = new StringBuilder();
        for (int i = 0; i < glob.length(); i++) {
            char c = glob.charAt(i);
            if (c == '*' && i + 1 < glob.length() && glob.charAt(i + 1) == '*') {
                regex.append(".*");
                i++;
            } else if (c == '*') {
                regex.append("[^/]*");
            } else if (c == '?') {
                regex.append("[^/]");
            } else {
                regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
