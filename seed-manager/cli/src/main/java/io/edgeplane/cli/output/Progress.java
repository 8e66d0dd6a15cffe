package io.edgeplane.cli.output;

import java.io.PrintWriter;

/**
 * A one-line spinner on stderr while the CLI waits for the server. Only on a terminal: in a pipe or a log it
 * writes nothing, so scripts see only the result.
 */
public final class Progress {

    private static final String FRAMES = "|/-\\";

    private final PrintWriter err;
    private final boolean interactive;
    private int frame;
    private String last = "";

    public Progress(PrintWriter err, boolean interactive) {
        this.err = err;
        this.interactive = interactive;
    }

    public void show(String status) {
        if (!interactive) {
            return;
        }
        String line = FRAMES.charAt(frame++ % FRAMES.length()) + " " + status;
        err.print("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
        err.flush();
        last = line;
    }

    /** Keeps the last status on screen as a finished line. */
    public void done(String status) {
        if (!interactive) {
            return;
        }
        String line = "  " + status;
        err.println("\r" + line + " ".repeat(Math.max(0, last.length() - line.length())));
        err.flush();
        last = "";
    }
}
