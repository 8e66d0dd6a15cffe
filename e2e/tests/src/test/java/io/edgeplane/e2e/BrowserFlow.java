package io.edgeplane.e2e;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The web console's browser flow (src/test/browser/console-flow.mjs), run by Node.js with Playwright's
 * library driving Debian's Chromium through run-console-flow.sh, which installs the library first.
 * Its output goes to the test log line by line; a non-zero exit fails the test with its last lines.
 */
final class BrowserFlow {
    private static final int KEPT_LINES = 40;

    private BrowserFlow() {
    }

    /** Runs the flow with {@code settings} as its environment, in {@code workDir}; fails unless it exits 0 within {@code timeout}. */
    static void run(Path repository, Path workDir, Map<String, String> settings, Duration timeout) throws IOException, InterruptedException {
        Path script = repository.resolve("e2e/tests/src/test/browser/run-console-flow.sh");
        ProcessBuilder builder = new ProcessBuilder("bash", script.toString(), workDir.toString()).redirectErrorStream(true);
        builder.environment().putAll(settings);
        Process process = builder.start();
        Deque<String> last = new ArrayDeque<>();
        Thread forward = new Thread(() -> forward(process, last), "browser-flow-output");
        forward.start();
        try {
            if (!process.waitFor(timeout.toSeconds(), TimeUnit.SECONDS)) {
                throw new AssertionError("the browser flow did not end within " + timeout.toMinutes() + " minutes:\n" + lines(last));
            }
            forward.join(5_000);
            if (process.exitValue() != 0) {
                throw new AssertionError("the browser flow failed (exit code " + process.exitValue() + "):\n" + lines(last));
            }
        } finally {
            // Chromium is the flow's child: ending the flow's process tree leaves no browser behind.
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
        }
    }

    private static void forward(Process process, Deque<String> last) {
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                System.out.println("browser: " + line);
                synchronized (last) {
                    last.addLast(line);
                    if (last.size() > KEPT_LINES) {
                        last.removeFirst();
                    }
                }
            }
        } catch (IOException ended) {
            // The process was killed: what was read is in the log already.
        }
    }

    private static String lines(Deque<String> last) {
        synchronized (last) {
            return String.join("\n", last);
        }
    }
}
