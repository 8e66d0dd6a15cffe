package io.edgeplane.provisioner.ssh;

import io.edgeplane.provisioner.ssh.SshDeliveryException.Reason;
import org.apache.sshd.client.channel.ChannelExec;
import org.apache.sshd.client.channel.ClientChannelEvent;
import org.apache.sshd.client.future.OpenFuture;
import org.apache.sshd.client.session.ClientSession;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * Runs the command on an authenticated session: the script goes to its stdin, its stdout and stderr
 * are streamed as lines, and it ends with an exit code or TIMEOUT. Only failures before the command
 * channel is open are retryable: after that the script may have run in part.
 */
final class RemoteScript {
    /** After the exit status, how long to wait for the rest of the output (a daemon the script started may hold it open). */
    static final Duration DRAIN = Duration.ofSeconds(5);
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2),
            Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("ABRT", 6), Map.entry("FPE", 8), Map.entry("KILL", 9),
            Map.entry("USR1", 10), Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13),
            Map.entry("ALRM", 14), Map.entry("TERM", 15));

    private final SshPolicy policy;
    private final String target;

    RemoteScript(SshPolicy policy, String target) {
        this.policy = policy;
        this.target = target;
    }

    int run(ClientSession session, String commandLine, byte[] stdin, OutputLines stdout, OutputLines stderr)
            throws SshDeliveryException {
        ChannelExec channel = open(session, commandLine, stdout, stderr);
        long started = System.nanoTime();
        try {
            send(channel, stdin);
            Duration limit = policy.commandTimeout().plus(RemoteCommand.KILL_GRACE).plus(DRAIN);
            Set<ClientChannelEvent> events = channel.waitFor(
                    EnumSet.of(ClientChannelEvent.EXIT_STATUS, ClientChannelEvent.EXIT_SIGNAL, ClientChannelEvent.CLOSED), limit);
            if (events.contains(ClientChannelEvent.TIMEOUT)) {
                throw new SshDeliveryException(Reason.TIMEOUT, "ssh " + target + ": the script was still running after "
                        + limit.toSeconds() + " s; the session was closed", null);
            }
            channel.waitFor(EnumSet.of(ClientChannelEvent.CLOSED), DRAIN);
            Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
            Integer exitCode = exitCode(channel);
            if (exitCode == null) {
                throw new SshDeliveryException(Reason.UNREACHABLE, "ssh " + target + ": connection lost after "
                        + elapsed.toMillis() + " ms while the script ran; it may have run in part", null);
            }
            if (RemoteCommand.TIMED_OUT_EXIT_CODES.contains(exitCode) && elapsed.compareTo(policy.commandTimeout()) >= 0) {
                throw new SshDeliveryException(Reason.TIMEOUT, "ssh " + target + ": the script ran longer than "
                        + policy.commandTimeout().toSeconds() + " s and was killed with its child processes", null);
            }
            return exitCode;
        } finally {
            channel.close(true);
            stdout.close();
            stderr.close();
        }
    }

    private ChannelExec open(ClientSession session, String commandLine, OutputLines stdout, OutputLines stderr)
            throws SshDeliveryException {
        try {
            ChannelExec channel = session.createExecChannel(commandLine);
            channel.setOut(stdout);
            channel.setErr(stderr);
            OpenFuture opening = channel.open();
            if (!opening.await(policy.connectTimeout())) {
                channel.close(true);
                throw SshDeliveryException.retryable(Reason.UNREACHABLE, "the command channel did not open within "
                        + policy.connectTimeout().toMillis() + " ms", null);
            }
            if (!opening.isOpened()) {
                if (session.isOpen()) {
                    throw new SshDeliveryException(Reason.PROTOCOL, "ssh " + target + ": the device refused the command channel: "
                            + SessionOpener.describe(opening.getException()), opening.getException());
                }
                throw SshDeliveryException.retryable(Reason.UNREACHABLE, "connection lost before the script started: "
                        + SessionOpener.describe(opening.getException()), opening.getException());
            }
            return channel;
        } catch (IOException e) {
            throw SshDeliveryException.retryable(Reason.UNREACHABLE, "connection lost before the script started: "
                    + SessionOpener.describe(e), e);
        }
    }

    /**
     * Writes the script and closes stdin (EOF ends bash's input). A failed write is not final: the
     * command may have ended early (e.g. sudo refused), and its exit status says more.
     */
    private static void send(ChannelExec channel, byte[] stdin) {
        try (OutputStream in = channel.getInvertedIn()) {
            in.write(stdin);
        } catch (IOException ignored) {
            // The exit status or the lost connection is reported by the caller.
        }
    }

    /** The exit status, or 128 + the signal number as a shell reports a killed command; null if the connection was lost. */
    private static Integer exitCode(ChannelExec channel) {
        Integer status = channel.getExitStatus();
        if (status != null) {
            return status;
        }
        String signal = channel.getExitSignal();
        return signal == null ? null : 128 + SIGNALS.getOrDefault(signal, 127);
    }
}
