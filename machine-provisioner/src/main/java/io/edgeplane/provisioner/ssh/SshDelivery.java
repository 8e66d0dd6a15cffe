package io.edgeplane.provisioner.ssh;

import org.apache.sshd.client.SshClient;
import org.apache.sshd.client.session.ClientSession;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.PublicKey;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.function.Consumer;

/**
 * Delivers a script to a device over SSH and runs it as root. One SSH client serves every delivery
 * of this object, concurrently; it starts on first use and stops with {@link #close()}.
 *
 * <p>Neither the script (it carries a bootstrap token), nor its arguments, nor the credential is
 * ever logged; output lines have every secret replaced with {@code ***}. The SSH library keeps to
 * that up to DEBUG; at TRACE it dumps decrypted packets, so {@code org.apache.sshd} must never log
 * at TRACE outside a debugging session.
 */
public final class SshDelivery implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(SshDelivery.class);

    private final SshPolicy policy;
    private SshClient client;
    private boolean closed;

    public SshDelivery(SshPolicy policy) {
        this.policy = Objects.requireNonNull(policy, "policy");
    }

    /**
     * Runs the script as root: piped to {@code bash -s} on stdin ({@code sudo -n bash -s} when the
     * user is not root) with {@code args} as its positional parameters, its output lines (stdout and
     * stderr) streamed to {@code output} with every string in {@code secrets} (and the credential's
     * password or passphrase) replaced with {@code ***}. Returns the script's exit code. The host key
     * is checked before any credential is sent; connection failures before the script starts are
     * retried as the policy says, nothing else is.
     *
     * @throws IllegalArgumentException if the target's known_hosts text cannot be parsed
     *                                  ({@link SshTargets#problems} reports that beforehand)
     */
    public int run(SshTarget target, String script, List<String> args, Set<String> secrets, Consumer<String> output)
            throws SshDeliveryException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(script, "script");
        Objects.requireNonNull(args, "args");
        Objects.requireNonNull(secrets, "secrets");
        Objects.requireNonNull(output, "output");
        HostKeyPin pin = HostKeyPin.of(target);
        LoginIdentity identity = LoginIdentity.of(target.credential(), target.address());
        Redactor redactor = Redactor.of(secrets, target.credential().secrets());
        Consumer<String> lines = new SerialLines(output);
        String commandLine = RemoteCommand.commandLine(target.isRoot(), policy.commandTimeout());
        byte[] stdin = RemoteCommand.stdin(script, args);
        long started = System.nanoTime();
        for (int attempt = 1; ; attempt++) {
            try {
                int exitCode = attempt(target, pin, identity, commandLine, stdin, redactor, lines);
                LOG.info("ssh target={} exit={} after {} ms (attempt {})", target.address(), exitCode, millisSince(started), attempt);
                return exitCode;
            } catch (SshDeliveryException e) {
                if (!e.retryable()) {
                    throw e;
                }
                if (attempt >= policy.attempts()) {
                    throw new SshDeliveryException(e.reason(), "ssh " + target.address() + ": unreachable after " + attempt
                            + " attempts in " + millisSince(started) + " ms; last: " + e.getMessage(), e);
                }
                Duration pause = policy.backoffAfter(attempt);
                LOG.info("ssh target={} attempt={}/{} failed: {}; next attempt in {} ms", target.address(), attempt,
                        policy.attempts(), e.getMessage(), pause.toMillis());
                pause(pause, target, e);
            }
        }
    }

    /** The fingerprint of a host key as {@code ssh-keygen -lf} prints it: {@code SHA256:<base64 without padding>}. */
    public static String fingerprint(PublicKey key) {
        return Fingerprints.of(key);
    }

    /** Stops the SSH client; deliveries still running fail. */
    @Override
    public synchronized void close() {
        closed = true;
        if (client != null) {
            try {
                client.close();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot stop the SSH client", e);
            } finally {
                client = null;
            }
        }
    }

    private int attempt(SshTarget target, HostKeyPin pin, LoginIdentity identity, String commandLine, byte[] stdin,
                        Redactor redactor, Consumer<String> lines) throws SshDeliveryException {
        ClientSession session = new SessionOpener(client(), policy, target, pin, identity).open();
        try {
            return new RemoteScript(policy, target.address())
                    .run(session, commandLine, stdin, new OutputLines(redactor, lines), new OutputLines(redactor, lines));
        } finally {
            session.close(true);
        }
    }

    private synchronized SshClient client() {
        if (closed) {
            throw new IllegalStateException("this SshDelivery is closed");
        }
        if (client == null) {
            client = DeliveryClient.start(policy);
        }
        return client;
    }

    private static void pause(Duration pause, SshTarget target, SshDeliveryException last) throws SshDeliveryException {
        try {
            Thread.sleep(pause.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new SshDeliveryException(last.reason(), "ssh " + target.address() + ": interrupted while waiting to retry; last: "
                    + last.getMessage(), last);
        }
    }

    private static long millisSince(long started) {
        return (System.nanoTime() - started) / 1_000_000;
    }

    /**
     * Hands lines to the caller's consumer one at a time (stdout and stderr arrive on SSH threads)
     * and keeps a consumer that throws from breaking the session.
     */
    private static final class SerialLines implements Consumer<String> {
        private final Consumer<String> output;
        private boolean failed;

        SerialLines(Consumer<String> output) {
            this.output = output;
        }

        @Override
        public synchronized void accept(String line) {
            try {
                output.accept(line);
            } catch (RuntimeException e) {
                if (!failed) {
                    failed = true;
                    LOG.warn("ssh output consumer failed; the script runs on: {}", e.toString());
                }
            }
        }
    }
}
