package io.edgeplane.seedmanager.binaries;

/** Where a platform's binaries stand. */
public enum BinariesPhase {
    /** Not on disk, and nothing has asked for them yet. */
    Missing,
    /** Asked for; waits for the preparation before it (one runs at a time). */
    Queued,
    Preparing,
    Ready,
    /** The last attempt failed; another one is scheduled ({@code nextAttemptAt}). */
    Failed
}
