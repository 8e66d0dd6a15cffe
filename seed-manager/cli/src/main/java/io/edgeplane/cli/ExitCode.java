package io.edgeplane.cli;

/** What a script can tell from the exit status alone. */
public enum ExitCode {
    /** Done. */
    OK(0),
    /** The request was accepted but what it started failed (a cluster that ended {@code Failed}), the server erred, or the CLI hit a bug. */
    FAILED(1),
    /** The command line or a local input file is wrong; nothing was sent. */
    USAGE(2),
    /** The API refused the request (400, 401, 403, 409, 422 ...); nothing changed. */
    REFUSED(3),
    /** The API answered 404: the object does not exist, or the token may not see it. */
    NOT_FOUND(4),
    /** The server could not be reached, or its TLS certificate was not trusted. */
    UNREACHABLE(5),
    /** A wait or follow gave up after its timeout; the operation goes on in the server. */
    TIMEOUT(6);

    private final int status;

    ExitCode(int status) {
        this.status = status;
    }

    public int status() {
        return status;
    }
}
