package io.edgeplane.seedmanager.app;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * The container image reference grammar of the OCI distribution spec ({@code [host[:port]/]path[:tag][@sha256:hex]}),
 * pinned: a reference must carry a tag or a sha256 digest, never fall back to an implicit {@code latest}.
 */
public final class ImageReference {
    private static final String ALPHANUMERIC = "[a-z0-9]+";
    private static final String SEPARATOR = "(?:[._]|__|-+)";
    private static final String PATH_COMPONENT = ALPHANUMERIC + "(?:" + SEPARATOR + ALPHANUMERIC + ")*";
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final String HOST = "(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+\\])";
    private static final Pattern NAME = Pattern.compile("(?:" + HOST + "(?::[0-9]{1,5})?/)?" + PATH_COMPONENT + "(?:/" + PATH_COMPONENT + ")*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final int MAX_NAME = 255;

    private ImageReference() {
    }

    /** Why {@code image} is not a pinned image reference, or empty when it is one. */
    public static Optional<String> problem(String image) {
        if (image.isEmpty() || image.chars().anyMatch(Character::isWhitespace)) {
            return Optional.of("must be an image reference such as registry.example:5000/team/app:1.2 (no spaces)");
        }
        String rest = image;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                return Optional.of("digest must be sha256: followed by 64 lowercase hex digits");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                return Optional.of("tag " + tag + " is not valid: letters, digits, '_', '.' and '-', not starting with '.' or '-', "
                        + "at most 128 characters");
            }
        }
        if (rest.length() > MAX_NAME) {
            return Optional.of("image name must be at most " + MAX_NAME + " characters");
        }
        if (!NAME.matcher(rest).matches()) {
            return Optional.of("image name " + rest + " is not valid: [registry[:port]/]path with lowercase path components");
        }
        if (tag == null && digest == null) {
            return Optional.of("must name a tag (e.g. " + rest + ":1.0) or a digest (" + rest + "@sha256:...); an app version is pinned");
        }
        return Optional.empty();
    }
}
