package io.edgeplane.seedmanager.watch;

/**
 * Where the change feed stands.
 *
 * @param last          the highest seq handed out: a watch that starts now continues after it
 * @param prunedThrough changes up to this seq are gone: a watch resuming from an older one must list again
 */
public record FeedPosition(long last, long prunedThrough) {

    /** Whether a watcher that has seen everything up to {@code seq} can continue without missing a change. */
    public boolean canResumeFrom(long seq) {
        return seq >= prunedThrough && seq <= last;
    }
}
