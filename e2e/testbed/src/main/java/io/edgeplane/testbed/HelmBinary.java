package io.edgeplane.testbed;


import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The helm binary ({@code helm.sh/helm/v4/cmd/helm}) at the version pinned in versions.env. {@code EDGEPLANE_HELM_BIN}
 * names a ready binary (e.g. the official release's); otherwise fetch-binaries.sh builds it from its Go module into the
 * binaries directory, once (minutes cold), as the opt-in component {@code helm}.
 *
 * <p>Every run goes through {@link #run}, whose helm keeps its cache, configuration and data (and its
 * {@code $HOME}) in a directory the caller names, so that a test never reads or writes {@code ~/.cache/helm},
 * {@code ~/.config/helm} or {@code ~/.kube/config}.
 */
public record HelmBinary(Path path, String version) {
    private static final Duration TIMEOUT = Duration.ofMinutes(5);
    private static HelmBinary cached;

    /** The binary, built on first use; the same instance for the rest of this JVM. */
    public static synchronized HelmBinary ensure() {
        if (cached != null) {
            return cached;
        }
        String pinned = ComponentVersions.pinned().helm();
        Path path = PinnedTool.locate("helm", "EDGEPLANE_HELM_BIN", pinned, p -> new HelmBinary(p, pinned).reportedVersion(),
                pinned::equals);
        cached = new HelmBinary(path, pinned);
        return cached;
    }

    /**
     * Runs {@code helm args...} with its homes under {@code home}: {@code HELM_CACHE_HOME}, {@code HELM_CONFIG_HOME},
     * {@code HELM_DATA_HOME} and {@code HOME} itself (helm's fallback for everything else, e.g. {@code ~/.kube/config}).
     */
    public ToolRun run(Path home, String... args) {
        List<String> command = new ArrayList<>();
        command.add(path.toString());
        command.addAll(List.of(args));
        return ToolRun.run(command, environment(home), TIMEOUT);
    }

    /** The environment {@link #run} gives helm, for callers that start it themselves. */
    public static Map<String, String> environment(Path home) {
        Path absolute = home.toAbsolutePath();
        try {
            Files.createDirectories(absolute);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Map.of("HOME", absolute.toString(),
                "HELM_CACHE_HOME", absolute.resolve("cache").toString(),
                "HELM_CONFIG_HOME", absolute.resolve("config").toString(),
                "HELM_DATA_HOME", absolute.resolve("data").toString());
    }

    /** What {@code helm version --template '{{.Version}}'} says, e.g. {@code v4.3.2}; helm runs in a scratch home. */
    private String reportedVersion() {
        try {
            Path home = Files.createTempDirectory("edgeplane-helm-version-");
            try {
                return run(home, "version", "--template", "{{.Version}}").stdoutIfSucceeded().strip();
            } finally {
                TestBedRun.deleteTree(home);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
