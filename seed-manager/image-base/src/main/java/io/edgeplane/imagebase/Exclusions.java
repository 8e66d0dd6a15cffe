package io.edgeplane.imagebase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystems;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.PathMatcher;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Paths left out of the base ({@code base-excludes.txt}): one glob per line, matched against the
 * canonical path (no leading slash); a matched directory goes with everything under it.
 */
public final class Exclusions implements Predicate<String> {

    private final List<PathMatcher> matchers;

    private Exclusions(List<PathMatcher> matchers) {
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
        List<PathMatcher> matchers = new ArrayList<>();
        for (String glob : globs) {
            matchers.add(FileSystems.getDefault().getPathMatcher("glob:" + glob));
        }
        return new Exclusions(matchers);
    }

    @Override
    public boolean test(String path) {
        for (int slash = path.indexOf('/'); ; slash = path.indexOf('/', slash + 1)) {
            Path prefix = Path.of(slash < 0 ? path : path.substring(0, slash));
            for (PathMatcher m : matchers) {
                if (m.matches(prefix)) {
                    return true;
                }
            }
            if (slash < 0) {
                return false;
            }
        }
    }
}
