package io.edgeplane.seedmanager.watch;

/**
 * A watch that cannot be opened: its resume id is no longer (or never was) in the feed, so the client must
 * list again; or this replica serves as many streams as it may, so the client should retry.
 */
public final class StreamRefusedException extends RuntimeException {
    public enum Reason { EXPIRED, BUSY }

    private final Reason reason;

    StreamRefusedException(Reason reason, String detail) {
        super(detail);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
