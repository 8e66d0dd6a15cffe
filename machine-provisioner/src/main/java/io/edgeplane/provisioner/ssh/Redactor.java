package io.edgeplane.provisioner.ssh;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.stream.Stream;

/**
 * Replaces every secret in a text with {@value #MASK}. Longer secrets go first, so that a secret
 * containing another is hidden whole rather than leaving its remainder visible.
 */
final class Redactor {
    static final String MASK = "***";

    private final List<String> secrets;
    private final int longest;

    private Redactor(List<String> secrets) {
        this.secrets = secrets;
        this.longest = secrets.isEmpty() ? 0 : secrets.get(0).length();
    }

    @SafeVarargs
    static Redactor of(Collection<String>... secretSets) {
        return new Redactor(Stream.of(secretSets)
                .flatMap(Collection::stream)
                .filter(Objects::nonNull)
                .filter(secret -> !secret.isEmpty())
                .distinct()
                .sorted(Comparator.comparingInt(String::length).reversed())
                .toList());
    }

    String redact(String text) {
        String result = text;
        for (String secret : secrets) {
            result = result.replace(secret, MASK);
        }
        return result;
    }

    /**
     * How many leading characters of an unfinished line can be passed on now: none of its tail that
     * could be the start of a secret still arriving, and no secret cut in two. Every secret that
     * starts before the returned index lies wholly inside {@code text}, so redacting the prefix
     * hides it.
     */
    int safePrefix(String text) {
        int end = Math.max(0, text.length() - Math.max(0, longest - 1));
        boolean moved = true;
        while (moved) {
            moved = false;
            for (String secret : secrets) {
                int from = Math.max(0, end - secret.length() + 1);
                int at = text.indexOf(secret, from);
                if (at >= 0 && at < end && at + secret.length() > end) {
                    end = at;
                    moved = true;
                }
            }
        }
        return end;
    }
}
