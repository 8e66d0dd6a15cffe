package io.edgeplane.seedmanager.watch;

import io.micronaut.http.sse.Event;

import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The stream of one scope's objects: without a resume id, first every current object as ADDED and a
 * BOOKMARK of where the feed stood before they were read; then every change after that, in order.
 */
final class ObjectWatch<E> implements StreamSource {
    private final ChangeFeed feed;
    private final WatchedTable table;
    private final String scope;
    private final Class<E> type;
    private final Function<E, ?> render;
    private final Function<E, String> name;
    private String listedThrough;
    private long after;
    private long announced;

    /**
     * @param from where to continue: a seq the client has seen; or, when {@code listFirst}, the feed
     *             position read before listing (changes after it are sent after the listing)
     */
    ObjectWatch(ChangeFeed feed, WatchedTable table, String scope, Class<E> type, Function<E, ?> render,
                Function<E, String> name, long from, boolean listFirst) {
        this.feed = feed;
        this.table = table;
        this.scope = scope;
        this.type = type;
        this.render = render;
        this.name = name;
        this.after = from;
        this.announced = listFirst ? -1 : from;
        this.listedThrough = listFirst ? "" : null;
    }

    @Override
    public Set<String> keys() {
        return Set.of(table.key(scope));
    }

    @Override
    public Progress next(int max, Consumer<Event<Object>> out) {
        if (listedThrough != null) {
            return list(max, out);
        }
        FeedPosition position = feed.position();
        if (!position.canResumeFrom(after)) {
            out.accept(WatchEvents.expired("changes after " + after + " are no longer kept (the oldest kept follows "
                    + position.prunedThrough() + "); list again and watch from there"));
            return Progress.DONE;
        }
        List<Change<E>> changes = feed.changesAfter(table, scope, after, max, type);
        for (Change<E> change : changes) {
            out.accept(WatchEvents.change(change.seq(), change.type(), render.apply(change.row())));
            after = change.seq();
        }
        announced = Math.max(announced, after);
        if (changes.size() == max) {
            return Progress.MORE;
        }
        // Caught up with everything numbered when the position was read, in this scope and all others:
        // a quiet scope's watcher moves on with the feed, so its id never falls behind the retention.
        after = Math.max(after, position.last());
        return Progress.CAUGHT_UP;
    }

    private Progress list(int max, Consumer<Event<Object>> out) {
        List<E> rows = feed.rowsAfter(table, scope, listedThrough, max, type);
        for (E row : rows) {
            out.accept(WatchEvents.listed(render.apply(row)));
            listedThrough = name.apply(row);
        }
        if (rows.size() == max) {
            return Progress.MORE;
        }
        listedThrough = null;
        out.accept(WatchEvents.bookmark(after));
        announced = after;
        return Progress.MORE;
    }

    @Override
    public Event<Object> heartbeat() {
        if (after > announced) {
            announced = after;
            return WatchEvents.bookmark(after);
        }
        return WatchEvents.keepAlive();
    }
}
