package io.edgeplane.seedmanager.binaries;

import java.util.function.Consumer;

/** Fills a platform's directory from the configured sources (release downloads, a Go build). */
public interface BinariesFetcher {

    /**
     * Fetches the components of {@code platform} into its directory of {@code directory}. Must leave the
     * directory either as it was or complete (the caller checks); reports each step through {@code progress}.
     *
     * @throws BinariesFetchException with the cause an operator can act on
     * @throws InterruptedException   when the seed manager stops; nothing of the fetch keeps running
     */
    void fetch(BinariesDirectory directory, Platform platform, Consumer<Progress> progress)
            throws BinariesFetchException, InterruptedException;

    /** A step of a fetch: which source is in use (once known) and what it does now. */
    record Progress(String source, String step) {
    }

    /** A fetch that did not complete, with the reason. */
    class BinariesFetchException extends Exception {
        public BinariesFetchException(String message) {
            super(message);
        }
    }
}
