package io.edgeplane.seedmanager.persistence;

/** The configured database did not answer within the start-up wait; the seed manager does not start without it. */
public class DatabaseUnavailableException extends RuntimeException {
    public DatabaseUnavailableException(String message) {
        super(message);
    }
}
