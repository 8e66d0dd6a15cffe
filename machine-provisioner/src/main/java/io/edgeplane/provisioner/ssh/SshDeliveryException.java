package io.edgeplane.provisioner.ssh;

/** A delivery that did not get to an exit code, with the reason an operator acts on. */
public class SshDeliveryException extends Exception {
    public enum Reason {
        /** The device presented a host key that is not the pinned one; nothing was sent to it. */
        HOST_KEY_MISMATCH,
        /** The device refused the credential (or the private key cannot be read). */
        AUTHENTICATION_FAILED,
        /** No SSH session could be set up within the attempts, or the connection was lost. */
        UNREACHABLE,
        /** The script ran longer than the command timeout and was killed. */
        TIMEOUT,
        /** The SSH conversation failed otherwise, e.g. no common algorithm or the channel was refused. */
        PROTOCOL
    }

    private final Reason reason;
    private final String expectedFingerprint;
    private final String presentedFingerprint;
    private final transient boolean retryable;

    public SshDeliveryException(Reason reason, String message, Throwable cause) {
        this(reason, message, cause, null, null, false);
    }

    private SshDeliveryException(Reason reason, String message, Throwable cause, String expectedFingerprint,
                                 String presentedFingerprint, boolean retryable) {
        super(message, cause);
        this.reason = reason;
        this.expectedFingerprint = expectedFingerprint;
        this.presentedFingerprint = presentedFingerprint;
        this.retryable = retryable;
    }

    static SshDeliveryException hostKeyMismatch(String target, String expected, String presented) {
        return new SshDeliveryException(Reason.HOST_KEY_MISMATCH, "ssh " + target + ": host key " + presented
                + " does not match the expected " + (expected.isEmpty() ? "(known_hosts lists no key for this host)" : expected)
                + "; refused before authentication, nothing ran", null, expected, presented, false);
    }

    /** A failure before the script started, which another attempt may overcome. */
    static SshDeliveryException retryable(Reason reason, String message, Throwable cause) {
        return new SshDeliveryException(reason, message, cause, null, null, true);
    }

    public Reason reason() {
        return reason;
    }

    /**
     * For {@link Reason#HOST_KEY_MISMATCH}: the pinned fingerprint, or the fingerprints that
     * known_hosts lists for the host, comma-separated (empty if it lists none); otherwise null.
     */
    public String expectedFingerprint() {
        return expectedFingerprint;
    }

    /**
     * For {@link Reason#HOST_KEY_MISMATCH}: the fingerprint of the key the device presented
     * (comma-separated when the device was asked for each of its key types); otherwise null.
     */
    public String presentedFingerprint() {
        return presentedFingerprint;
    }

    boolean retryable() {
        return retryable;
    }
}
