package io.edgeplane.seedmanager.persistence;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs short helper commands (initdb, pg_ctl, useradd) and fails with their output. */
final class Commands {
    private Commands() {
    }

    static String run(List<String> command, long timeoutSeconds) {
        Process process;
        try {
            process = new ProcessBuilder(command).redirectErrorStream(true).start();
        } catch (IOException e) {
            throw new EmbeddedPostgresException("cannot run " + command.get(0) + ": " + e.getMessage(), e);
        }
        try {
            process.getOutputStream().close();
            // Output is small; reading after exit could block on a full pipe, so read first.
            String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!process.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new EmbeddedPostgresException(String.join(" ", command) + " timed out after " + timeoutSeconds + "s");
            }
            if (process.exitValue() != 0) {
                throw new EmbeddedPostgresException(String.join(" ", command) + " exited with "
                        + process.exitValue() + ": " + output.strip());
            }
            return output;
        } catch (IOException e) {
            throw new EmbeddedPostgresException("reading output of " + command.get(0) + ": " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
            throw new EmbeddedPostgresException("interrupted while running " + command.get(0), e);
        }
    }

    static List<String> concat(List<String> prefix, String... rest) {
        List<String> all = new ArrayList<>(prefix);
        all.addAll(List.of(rest));
        return all;
    }
}
