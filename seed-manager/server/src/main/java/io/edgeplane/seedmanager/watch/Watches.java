package io.edgeplane.seedmanager.watch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.sse.Event;
import jakarta.inject.Singleton;
import org.reactivestreams.Publisher;

import java.util.Optional;
import java.util.function.Function;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * What the list endpoints' watch routes call once they have checked the caller may see the scope: the
 * stream of that scope, from a resume id or from a fresh listing.
 */
@Singleton
public class Watches {
    private final ChangeFeed feed;
    private final WatchHub hub;

    public Watches(ChangeFeed feed, WatchHub hub) {
        this.feed = feed;
        this.hub = hub;
    }

    /**
     * The objects of one scope and their changes.
     *
     * @param scope  the project (clusters) or cluster id (rows of a cluster) the caller may see
     * @param render the row as the GET of the object answers it
     * @param name   the row's name, the list order
     * @param resume the id the client has seen (Last-Event-ID or resourceVersion), or null to list first
     * @param timeoutSeconds how long the client wants the stream open at most (the server's maximum otherwise)
     */
    public <E> Publisher<Event<Object>> objects(String watchName, WatchedTable table, String scope, Class<E> type,
                                                Function<E, ?> render, Function<E, String> name, @Nullable ResumeToken resume,
                                                @Nullable Integer timeoutSeconds) {
        FeedPosition position = feed.position();
        if (resume == null) {
            return hub.stream(watchName, new ObjectWatch<>(feed, table, scope, type, render, name, position.last(), true), timeoutSeconds);
        }
        if (!position.canResumeFrom(resume.seq())) {
            throw new StreamRefusedException(StreamRefusedException.Reason.EXPIRED, resume.seq() > position.last()
                    ? resume.name() + " " + resume.seq() + " is not an id of this seed manager's changes (the latest is "
                    + position.last() + "); list again, or watch without it"
                    : resume.name() + " " + resume.seq() + " is too old: changes up to " + position.prunedThrough()
                    + " are no longer kept; list again, or watch without it");
        }
        return hub.stream(watchName, new ObjectWatch<>(feed, table, scope, type, render, name, resume.seq(), false), timeoutSeconds);
    }

    /** A device's provisioning log lines after {@code after} as they are written, until {@code endedWith} gives the END body. */
    public <L> Publisher<Event<Object>> provisioningLog(String watchName, String machineDeploymentId, String clusterId, Class<L> lineType,
                                                       ToLongFunction<L> seq, Supplier<Optional<Object>> endedWith, long after,
                                                       @Nullable Integer timeoutSeconds) {
        return hub.stream(watchName, new LogFollow<>(feed, machineDeploymentId, clusterId, lineType, seq, endedWith, after), timeoutSeconds);
    }

    /** A current row, for the routes that render more than the feed carries. */
    public <E> Optional<E> row(WatchedTable table, String id, Class<E> type) {
        return feed.row(table, id, type);
    }
}
