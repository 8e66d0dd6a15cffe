package io.edgeplane.seedmanager.machine;

import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Finds bootstrap tokens in text, so they can be masked in anything stored or logged. */
final class BootstrapTokenPattern {
    private static final Pattern TOKEN = Pattern.compile("\\b[a-z0-9]{6}\\.[a-z0-9]{16}\\b");

    private BootstrapTokenPattern() {
    }

    static Set<String> find(String text) {
        Set<String> found = new TreeSet<>();
        Matcher matcher = TOKEN.matcher(text);
        while (matcher.find()) {
            found.add(matcher.group());
            found.add(matcher.group().substring(7));   // the secret half alone
        }
        return found;
    }
}
