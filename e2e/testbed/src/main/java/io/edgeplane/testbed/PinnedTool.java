package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Where a test-side tool of versions.env (kwok, helm, kube-bench) comes from: the ready binary an
 * environment variable names (e.g. an official release's), or else fetch-binaries.sh's build of it
 * from its Go module as an opt-in component, once.
 */
final class PinnedTool {
    private static final Logger LOG = LoggerFactory.getLogger(PinnedTool.class);

    private PinnedTool() {
    }

    /**
     * The tool's path, checked to report the pinned version; a built one that does not is refused, a
     * given one is the user's choice and only warned about.
     *
     * @param reported what the binary says its version is
     * @param isPinned whether that is the pinned version
     */
    static Path locate(String component, String envVariable, String pinned, Function<Path, String> reported,
                       Predicate<String> isPinned) {
        String given = System.getenv(envVariable);
        boolean ready = given != null && !given.isBlank();
        Path path = ready ? Path.of(given)
                : FetchBinariesScript.run(component, Map.of("EDGEPLANE_BINARIES_COMPONENTS", component)).resolve(component);
        if (!Files.isExecutable(path)) {
            throw new IllegalStateException(component + " is not an executable file: " + path
                    + (ready ? " (" + envVariable + ")" : " (fetch-binaries.sh with EDGEPLANE_BINARIES_COMPONENTS=" + component + ")"));
        }
        String version = reported.apply(path);
        if (!isPinned.test(version)) {
            // The binaries directory is keyed by the Kubernetes version, so a tool built for an older
            // pin stays there until removed; a binary the user chose is theirs to choose.
            String message = component + " " + path + " reports " + version + ", the pin is " + pinned;
            if (!ready) {
                throw new IllegalStateException(message + ": remove it and run again to build the pinned one");
            }
            LOG.warn("{} ({})", message, envVariable);
        }
        LOG.info("{} binary={} version={}", component, path, version);
        return path;
    }
}
