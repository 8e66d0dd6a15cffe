package io.edgeplane.testbed.device;

import java.util.List;

/** Outcome of a finished command: its exit code and what it printed. */
public record CommandResult(List<String> command, int exitCode, String stdout, String stderr) {

    public boolean succeeded() {
        return exitCode == 0;
    }

    /** This result if the command succeeded; otherwise an exception naming the command and its error output. */
    public CommandResult orThrow() {
        if (!succeeded()) {
            throw new IllegalStateException(String.join(" ", command) + " failed with exit code " + exitCode
                    + ": " + (stderr.isBlank() ? stdout : stderr).strip());
        }
        return this;
    }
}
