package io.edgeplane.seedmanager.workload.bundle;

import java.util.regex.Pattern;

/**
 * An image reference split as a registry reads it, normalised as containerd's CRI names images
 * (so that the kubelet finds an imported image by the reference in the pod):
 * {@code nginx} is {@code docker.io/library/nginx:latest}.
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
    private static final Pattern HOST = Pattern.compile("[A-Za-z0-9.-]+(?::[0-9]{1,5})?|\\[[0-9a-fA-F:]+](?::[0-9]{1,5})?");
    static final String DOCKER_HUB = "docker.io";

    /** Parses {@code [registry/]repository[:tag][@sha256:...]}; a missing tag and digest means {@code latest}. */
    public static ImageReference parse(String image) {
        if (image == null || image.isBlank()) {
            throw new IllegalArgumentException("image reference is empty");
        }
        String rest = image;
        String digest = null;
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches()) {
                throw new IllegalArgumentException("image " + image + ": digest must be sha256:<64 hex digits>");
            }
        }
        String tag = null;
        int colon = rest.lastIndexOf(':');
        if (colon > rest.lastIndexOf('/')) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw new IllegalArgumentException("image " + image + ": invalid tag " + tag);
            }
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
                throw new IllegalArgumentException("image " + image + ": invalid repository " + rest);
            }
        }
        if (tag == null && digest == null) {
            tag = "latest";
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
