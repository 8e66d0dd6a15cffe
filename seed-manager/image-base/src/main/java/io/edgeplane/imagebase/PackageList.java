package io.edgeplane.imagebase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The packages the base is made of ({@code base-packages.txt}): one package per line, optionally
 * followed by the only paths to take from it ({@code util-linux /usr/bin/flock}).
 */
public record PackageList(Map<String, List<String>> packages) {

    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9+.-]+");

    public static PackageList read(Path file) throws IOException {
        Map<String, List<String>> packages = new LinkedHashMap<>();
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).replaceFirst("#.*", "").strip();
            if (line.isEmpty()) {
                continue;
            }
            String where = file.getFileName() + " line " + (i + 1);
            String[] words = line.split("\\s+");
            if (!NAME.matcher(words[0]).matches()) {
                throw new IllegalArgumentException(where + ": package name '" + words[0] + "' is not a Debian package name");
            }
            if (packages.containsKey(words[0])) {
                throw new IllegalArgumentException(where + ": package " + words[0] + " is listed twice");
            }
            List<String> paths = new ArrayList<>();
            for (int w = 1; w < words.length; w++) {
                if (!words[w].startsWith("/") || words[w].contains("..")) {
                    throw new IllegalArgumentException(where + ": path '" + words[w] + "' must be absolute, without '..'");
                }
                paths.add(RootFs.canonical(words[w]));
            }
            packages.put(words[0], List.copyOf(paths));
        }
        if (packages.isEmpty()) {
            throw new IllegalArgumentException(file.getFileName() + ": no packages listed");
        }
        return new PackageList(packages);
    }

    public List<String> names() {
        return List.copyOf(packages.keySet());
    }

    /** Whether {@code path} (canonical) is taken from {@code pkg}: all of it, or only the listed paths. */
    public boolean takes(String pkg, String path) {
        List<String> only = packages.getOrDefault(pkg, List.of());
        if (only.isEmpty()) {
            return true;
        }
        for (String p : only) {
            if (path.equals(p) || p.startsWith(path + "/")) {
                return true;
            }
        }
        return false;
    }
}
