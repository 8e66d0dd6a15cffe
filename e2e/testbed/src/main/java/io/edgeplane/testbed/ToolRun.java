package io.edgeplane.testbed;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * One finished run of a command-line tool (helm, kube-bench): its exit code and both outputs, kept apart
 * because the tools print their result on stdout (a rendered chart, a JSON report) and their diagnostics on
 * stderr.
 */
public record ToolRun(List<String> command, int exitCode, String stdout, String stderr) {

    /** Runs {@code command} with {@code env} on top of this JVM's environment, at most {@code timeout}. */
    public static ToolRun run(List<String> command, Map<String, String> env, Duration timeout) {
        Path out = null;
        Path err = null;
        try {
            // Outputs to files, not pipes: a hung tool cannot block the read, and the wait is bounded.
            out = Files.createTempFile("edgeplane-tool-", ".out");
            err = Files.createTempFile("edgeplane-tool-", ".err");
            ProcessBuilder builder = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            builder.environment().putAll(env);
            Process process = builder.start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly();
                throw new IllegalStateException(command + " did not finish within " + timeout.toSeconds() + " s; stderr:\n"
                        + Files.readString(err, StandardCharsets.UTF_8));
            }
            return new ToolRun(List.copyOf(command), process.exitValue(), Files.readString(out, StandardCharsets.UTF_8),
                    Files.readString(err, StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + command, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } finally {
            delete(out);
            delete(err);
        }
    }

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** stdout, or an exception carrying the exit code and stderr when the tool failed. */
    public String stdoutIfSucceeded() {
        if (!succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " exited with " + exitCode + ":\n" + stderr.strip()
                    + (stdout.isBlank() ? "" : "\nstdout:\n" + stdout.strip()));
        }
        return stdout;
    }

    private static void delete(Path file) {
        if (file != null) {
            file.toFile().delete();
        }
    }
}
