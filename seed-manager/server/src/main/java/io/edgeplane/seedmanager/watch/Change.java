package io.edgeplane.seedmanager.watch;

/**
 * One recorded change of a watched row.
 *
 * @param seq  its place in the feed: what a watcher sends back to resume after it
 * @param type what happened
 * @param row  the row as it was after the change (before it, for a deletion)
 * @param <E>  the row's entity
 */
public record Change<E>(long seq, ChangeType type, E row) {
}
