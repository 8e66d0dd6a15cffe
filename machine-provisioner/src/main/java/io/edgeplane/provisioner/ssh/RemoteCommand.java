package io.edgeplane.provisioner.ssh;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;

/**
 * What the device runs: bash reading the script from stdin, as root ({@code sudo -n} for another
 * user, which fails rather than prompting), under coreutils {@code timeout}, which kills the script's
 * whole process group when the command timeout is over and with SIGKILL after {@link #KILL_GRACE}.
 * Closing an SSH session without a terminal leaves the remote process running, so this is what
 * stops a hung script. Daemons the script starts in their own session (setsid, systemd) survive.
 *
 * <p>The arguments travel on stdin as a {@code set --} prefix on the script's first line (so bash's
 * line numbers stay the script's own), not on the command line: that way they never appear in the
 * device's process list nor in SSHD's debug log.
 */
final class RemoteCommand {
    static final Duration KILL_GRACE = Duration.ofSeconds(10);
    /** The exit codes of {@code timeout} when it had to stop the command: SIGTERM worked, or SIGKILL was needed. */
    static final List<Integer> TIMED_OUT_EXIT_CODES = List.of(124, 137);

    private RemoteCommand() {
    }

    static String commandLine(boolean root, Duration commandTimeout) {
        long seconds = Math.max(1, (commandTimeout.toMillis() + 999) / 1000);
        String run = "timeout --kill-after=" + KILL_GRACE.toSeconds() + " " + seconds + " bash -s";
        return root ? run : "sudo -n " + run;
    }

    static byte[] stdin(String script, List<String> args) {
        String prefix = args.isEmpty() ? ""
                : "set -- " + args.stream().map(RemoteCommand::quote).collect(Collectors.joining(" ")) + "; ";
        return (prefix + script).getBytes(StandardCharsets.UTF_8);
    }

    /** A word for a POSIX shell: single-quoted, with each single quote closed, escaped and reopened. */
    static String quote(String word) {
        return "'" + word.replace("'", "'\\''") + "'";
    }
}
