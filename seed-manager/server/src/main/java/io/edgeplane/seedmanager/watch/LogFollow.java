package io.edgeplane.seedmanager.watch;

import io.micronaut.http.sse.Event;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.function.ToLongFunction;

/**
 * Follows a device's provisioning log: every line after {@code after} as it is written, then an END event
 * once provisioning is over (the lines a delivery wrote are all in before it records that it is over).
 */
final class LogFollow<L> implements StreamSource {
    private final ChangeFeed feed;
    private final String machineDeploymentId;
    private final String clusterId;
    private final Class<L> lineType;
    private final ToLongFunction<L> seq;
    private final Supplier<Optional<Object>> endedWith;
    private long after;

    /**
     * @param endedWith the END event's body once provisioning is over (the device as a GET shows it), empty while it runs
     */
    LogFollow(ChangeFeed feed, String machineDeploymentId, String clusterId, Class<L> lineType, ToLongFunction<L> seq,
              Supplier<Optional<Object>> endedWith, long after) {
        this.feed = feed;
        this.machineDeploymentId = machineDeploymentId;
        this.clusterId = clusterId;
        this.lineType = lineType;
        this.seq = seq;
        this.endedWith = endedWith;
        this.after = after;
    }

    @Override
    public Set<String> keys() {
        return Set.of("machine_provisioning_logs:" + machineDeploymentId, WatchedTable.MACHINE_DEPLOYMENTS.key(clusterId));
    }

    @Override
    public Progress next(int max, Consumer<Event<Object>> out) {
        // Whether it is over is read before the lines, so no line written before the end is left unread.
        Optional<Object> ended = endedWith.get();
        List<L> lines = feed.logLinesAfter(machineDeploymentId, after, max, lineType);
        for (L line : lines) {
            after = seq.applyAsLong(line);
            out.accept(WatchEvents.line(after, line));
        }
        if (lines.size() == max) {
            return Progress.MORE;
        }
        if (ended.isPresent()) {
            out.accept(WatchEvents.end(ended.get()));
            return Progress.DONE;
        }
        return Progress.CAUGHT_UP;
    }

    @Override
    public Event<Object> heartbeat() {
        return WatchEvents.keepAlive();
    }
}
