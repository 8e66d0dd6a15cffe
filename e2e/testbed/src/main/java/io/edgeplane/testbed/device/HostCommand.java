package io.edgeplane.testbed.device;

import io.edgeplane.testbed.TestBedRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a program (argument list, never a shell string) to completion within a time limit. */
public final class HostCommand {
    private static final Logger LOG = LoggerFactory.getLogger(HostCommand.class);
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private HostCommand() {
    }

    public static CommandResult run(List<String> command, Duration timeout) {
        long started = System.nanoTime();
        Path dir = TestBedRun.current().dir();
        Path stdout = null;
        Path stderr = null;
        try {
            // Files rather than pipes: no reader threads, and a command that leaves a child holding
            // its output open cannot block us past the time limit.
            stdout = Files.createTempFile(dir, "cmd-", ".out");
            stderr = Files.createTempFile(dir, "cmd-", ".err");
            Process process = new ProcessBuilder(command)
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(stdout.toFile())
                    .redirectError(stderr.toFile())
                    .start();
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
                throw new IllegalStateException(String.join(" ", command) + " did not finish within " + timeout);
            }
            LOG.debug("{} exited {} after {} ms", command.get(0), process.exitValue(), (System.nanoTime() - started) / 1_000_000);
            return new CommandResult(command, process.exitValue(), Files.readString(stdout), Files.readString(stderr));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot run " + String.join(" ", command) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + String.join(" ", command), e);
        } finally {
            deleteQuietly(stdout);
            deleteQuietly(stderr);
        }
    }

    /** Runs the command and fails unless it succeeds. */
    public static CommandResult check(String... command) {
        return run(List.of(command), DEFAULT_TIMEOUT).orThrow();
    }

    private static void deleteQuietly(Path file) {
        if (file != null) {
            file.toFile().delete();
        }
    }
}
