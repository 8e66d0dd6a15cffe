package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Runs bootstrap-scripts/fetch-binaries.sh, extracted from the classpath, for the test bed's binaries. The
 * test bed builds from the Go modules unless {@code EDGEPLANE_BINARIES_SOURCE} says otherwise; concurrent
 * runs (other JVMs, other binaries) wait for each other inside the script.
 */
final class FetchBinariesScript {
    private static final Logger LOG = LoggerFactory.getLogger(FetchBinariesScript.class);
    /** A cold Go build of every component takes minutes on 2 cores; this only bounds a hung one. */
    private static final long TIMEOUT_MINUTES = 90;

    private FetchBinariesScript() {
    }

    /** Runs the script with {@code env} on top of this JVM's environment and returns the directory it prepared. */
    static Path run(String what, Map<String, String> env) {
        long started = System.nanoTime();
        Path scripts = BootstrapScripts.extract();
        try {
            Path log = scripts.resolve("fetch-binaries.log");
            ProcessBuilder builder = new ProcessBuilder("bash", scripts.resolve("fetch-binaries.sh").toString())
                    .redirectError(log.toFile());
            builder.environment().putIfAbsent("EDGEPLANE_BINARIES_SOURCE", "go");
            builder.environment().putAll(env);
            Process process = builder.start();
            String out = new String(process.getInputStream().readAllBytes()).strip();
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES) || process.exitValue() != 0) {
                throw new IllegalStateException("fetch-binaries.sh failed for " + what + ":\n" + tail(log));
            }
            Path dir = Path.of(out.substring(out.lastIndexOf('\n') + 1));
            LOG.info("{} ready in {} ({} ms)", what, dir, (System.nanoTime() - started) / 1_000_000);
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            BootstrapScripts.delete(scripts);
        }
    }

    private static String tail(Path log) throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 30), lines.size()));
    }
}
