package io.edgeplane.seedmanager.persistence;

/** The embedded database could not be prepared, started or stopped. */
public class EmbeddedPostgresException extends RuntimeException {
    public EmbeddedPostgresException(String message) {
        super(message);
    }

    public EmbeddedPostgresException(String message, Throwable cause) {
        super(message, cause);
    }
}
