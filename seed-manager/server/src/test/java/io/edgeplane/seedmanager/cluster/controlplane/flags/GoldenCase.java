package io.edgeplane.seedmanager.cluster.controlplane.flags;

import java.util.Objects;
import java.util.function.Supplier;

/**
 * One golden file: its name under {@code golden/controlplane/}, the test class that owns it (named
 * in the file's header) and how to render its content.
 */
public record GoldenCase(String name, Class<?> generator, Supplier<String> render) {
    public GoldenCase {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(generator, "generator");
        Objects.requireNonNull(render, "render");
    }

    public String fileName() {
        return name + ".yaml";
    }
}
