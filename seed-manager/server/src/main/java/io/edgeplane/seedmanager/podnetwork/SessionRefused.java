package io.edgeplane.seedmanager.podnetwork;

/**
 * A device's connection is not admitted; the message is the reason, for the log line. Not worth
 * retrying by the relay: the device dials again, and by then the machine may exist.
 */
final class SessionRefused extends Exception {
    private final String subject;

    /** @param subject what the log line names, {@code machine=project/cluster/node} or {@code cluster=project/cluster} */
    SessionRefused(String subject, String reason) {
        super(reason, null, false, false);
        this.subject = subject;
    }

    String subject() {
        return subject;
    }
}
