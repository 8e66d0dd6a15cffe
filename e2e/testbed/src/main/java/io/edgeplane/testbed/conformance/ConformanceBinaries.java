package io.edgeplane.testbed.conformance;

import io.edgeplane.testbed.ComponentVersions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * The Kubernetes conformance test binary and the binaries of its test images, at the pinned Kubernetes
 * version, for this machine: {@code e2e.test}, {@code agnhost} and {@code sh} (the shell and network
 * tools the tests run inside agnhost containers). Built (once, then cached) by
 * e2e/testbed/conformance/build-conformance.sh from the repository this runs in;
 * {@code EDGEPLANE_CONFORMANCE_DIR} points at a ready directory instead and skips the script.
 */
public record ConformanceBinaries(Path dir) {
    private static final Logger LOG = LoggerFactory.getLogger(ConformanceBinaries.class);
    static final String SCRIPT = "e2e/testbed/conformance/build-conformance.sh";
    private static final List<String> REQUIRED = List.of("e2e.test", "agnhost", "sh");
    private static final long BUILD_TIMEOUT_MINUTES = 90;

    public Path e2eTest() {
        return dir.resolve("e2e.test");
    }

    public Path agnhost() {
        return dir.resolve("agnhost");
    }

    /** The static shell with the network tools built in (nc, curl, wget, dig, getent, nslookup, ...). */
    public Path shell() {
        return dir.resolve("sh");
    }

    /** Ensures the binaries exist (building them on the first run, which takes about 12 minutes on 2 cores) and returns them. */
    public static ConformanceBinaries ensure() {
        String given = System.getenv("EDGEPLANE_CONFORMANCE_DIR");
        Path dir = given != null && !given.isBlank() ? Path.of(given) : runBuildScript(repositoryRoot());
        for (String name : REQUIRED) {
            if (!Files.isExecutable(dir.resolve(name))) {
                throw new IllegalStateException("the conformance run needs " + name + " in " + dir
                        + " (run " + SCRIPT + " or set EDGEPLANE_CONFORMANCE_DIR)");
            }
        }
        return new ConformanceBinaries(dir);
    }

    /**
     * The repository holding the build script: the system property {@code repositoryRoot}, else the
     * first directory upwards from the working directory that has the script.
     */
    static Path repositoryRoot() {
        Optional<Path> given = Optional.ofNullable(System.getProperty("repositoryRoot")).filter(s -> !s.isBlank()).map(Path::of);
        if (given.isPresent()) {
            if (!Files.isRegularFile(given.get().resolve(SCRIPT))) {
                throw new IllegalArgumentException("repositoryRoot: " + given.get() + " has no " + SCRIPT);
            }
            return given.get();
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve(SCRIPT))) {
                return dir;
            }
        }
        throw new IllegalStateException("no " + SCRIPT + " above " + Path.of("").toAbsolutePath()
                + ": run from the repository, or set the system property repositoryRoot");
    }

    private static Path runBuildScript(Path repository) {
        long started = System.nanoTime();
        try {
            Path log = Files.createTempFile("edgeplane-build-conformance-", ".log");
            Process process = new ProcessBuilder("bash", repository.resolve(SCRIPT).toString())
                    .redirectError(log.toFile()).start();
            String out = new String(process.getInputStream().readAllBytes()).strip();
            if (!process.waitFor(BUILD_TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IllegalStateException(SCRIPT + " did not finish within " + BUILD_TIMEOUT_MINUTES + " minutes; log " + log);
            }
            if (process.exitValue() != 0) {
                throw new IllegalStateException(SCRIPT + " failed (exit " + process.exitValue() + "):\n" + tail(log));
            }
            Files.delete(log);
            Path dir = Path.of(out.substring(out.lastIndexOf('\n') + 1));
            LOG.info("conformance binaries {} ready in {} ({} ms)", ComponentVersions.pinned().kubernetes(), dir, (System.nanoTime() - started) / 1_000_000);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building the conformance binaries", e);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
