package io.edgeplane.seedmanager.app;

import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A container image reference ({@code [host[:port]/]path[:tag][@sha256:hex]}, the OCI distribution
 * grammar), split as a registry reads it and normalised as containerd's CRI names images, so that
 * the kubelet finds an imported image by the reference in the pod: {@code nginx} is
 * {@code docker.io/library/nginx:latest}. Apps must pin theirs ({@link #problem}).
 *
 * @param registry   host or host:port as written ({@code docker.io} for Docker Hub)
 * @param repository path within the registry, e.g. {@code edgeplane/hello-http}
 * @param tag        the tag, or null when the reference is by digest only
 * @param digest     {@code sha256:<hex>}, or null
 */
public record ImageReference(String registry, String repository, String tag, String digest) {
    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("sha256:[a-f0-9]{64}");
    private static final String DOMAIN_COMPONENT = "(?:[a-zA-Z0-9]|[a-zA-Z0-9][a-zA-Z0-9-]*[a-zA-Z0-9])";
    private static final Pattern HOST = Pattern.compile("(?:" + DOMAIN_COMPONENT + "(?:\\." + DOMAIN_COMPONENT + ")*|\\[[a-fA-F0-9:]+])"
            + "(?::[0-9]{1,5})?");
    private static final int MAX_NAME = 255;
    private static final String DOCKER_HUB = "docker.io";

    /** Parses a reference; a missing tag and digest means {@code latest}. Malformed ones throw, with the reason. */
    public static ImageReference parse(String image) {
        ImageReference written = read(image);
        return written.tag == null && written.digest == null
                ? new ImageReference(written.registry, written.repository, "latest", null) : written;
    }

    /** Why {@code image} is not a pinned image reference (a tag or a digest, never an implicit latest), or empty when it is one. */
    public static Optional<String> problem(String image) {
        try {
            ImageReference written = read(image);
            if (written.tag == null && written.digest == null) {
                return Optional.of("must name a tag (e.g. " + image + ":1.0) or a digest (" + image + "@sha256:...); an app version is pinned");
            }
            return Optional.empty();
        } catch (IllegalArgumentException e) {
            return Optional.of(e.getMessage());
        }
    }

    private static ImageReference read(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image reference is empty");
        }
        if (image.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("image " + image + ": must not contain spaces");
        }
        String rest = image;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("image " + image + ": digest must be sha256: followed by 64 lowercase hex digits");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("image " + image + ": invalid tag " + tag + " (letters, digits, '_', '.' and '-', "
                        + "not starting with '.' or '-', at most 128 characters)");
            }
        }
        if (rest.length() > MAX_NAME) {
            throw new IllegalArgumentException("image " + image + ": the name must be at most " + MAX_NAME + " characters");
        }
        String registry = DOCKER_HUB;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
                registry = first;
                rest = rest.substring(slash + 1);
            }
        }
        if (registry.equals("index.docker.io")) {
            registry = DOCKER_HUB;
        }
        if (!HOST.matcher(registry).matches()) {
            throw new IllegalArgumentException("image " + image + ": invalid registry " + registry);
        }
        if (registry.equals(DOCKER_HUB) && !rest.contains("/")) {
            rest = "library/" + rest;
        }
        for (String component : rest.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw new IllegalArgumentException("image " + image + ": invalid repository " + rest
                        + " (lowercase path components separated by '/')");
            }
        }
        return new ImageReference(registry, rest, tag, digest);
    }

    /** Where the registry API answers: Docker Hub's API host differs from its name in references. */
    public String apiHost() {
        return registry.equals(DOCKER_HUB) ? "registry-1.docker.io" : registry;
    }

    /** What the manifest is fetched by: the digest when there is one, else the tag. */
    public String manifestReference() {
        return digest != null ? digest : tag;
    }

    /** The full, normalised name containerd and the kubelet use, e.g. {@code docker.io/library/nginx:latest}. */
    public String fullName() {
        return registry + "/" + repository + (tag != null && digest == null ? ":" + tag : "") + (digest != null ? "@" + digest : "");
    }

    @Override
    public String toString() {
        return fullName();
    }
}
