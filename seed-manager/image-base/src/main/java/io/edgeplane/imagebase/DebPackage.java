package io.edgeplane.imagebase;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** One .deb as the signed archive index names it: its file name, version and checksum. */
public record DebPackage(String name, String version, String architecture, String uri, String fileName,
        long size, String sha256) {

    // (URLDecoder would read the "+" of "+deb12u1" as a space.)
    // 'URI' file_name size SHA256:hex, one line per package of `apt-get download --print-uris`.
    private static final Pattern PRINT_URIS = Pattern.compile("'([^']+)' (\\S+) (\\d+) SHA256:([0-9a-f]{64})");

    static DebPackage fromPrintUris(String line) {
        Matcher m = PRINT_URIS.matcher(line.strip());
        if (!m.matches()) {
            throw new IllegalArgumentException("unexpected apt-get --print-uris line: " + line);
        }
        String fileName = m.group(2);
        String[] parts = fileName.substring(0, fileName.length() - ".deb".length()).split("_");
        if (parts.length != 3 || !fileName.endsWith(".deb")) {
            throw new IllegalArgumentException("unexpected package file name: " + fileName);
        }
        return new DebPackage(parts[0], URLDecoder.decode(parts[1].replace("+", "%2B"), StandardCharsets.UTF_8), parts[2], m.group(1),
                fileName, Long.parseLong(m.group(3)), m.group(4));
    }
}
