package io.edgeplane.seedmanager.watch;

import io.micronaut.http.sse.Event;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;

import java.util.concurrent.Executor;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One open server-sent-event stream: reads its {@link StreamSource} only while the client asks for events
 * (so a slow client holds at most one batch in memory), when woken, and at each heartbeat.
 */
final class WatchStream {
    private static final Logger LOG = LoggerFactory.getLogger(WatchStream.class);
    private static final int BATCH = 100;

    private final String name;
    private final StreamSource source;
    private final Executor executor;
    private final AtomicBoolean running = new AtomicBoolean();
    private final AtomicBoolean dirty = new AtomicBoolean();
    private final AtomicBoolean heartbeatDue = new AtomicBoolean();
    private volatile FluxSink<Event<Object>> sink;
    private volatile boolean finished;

    WatchStream(String name, StreamSource source, Executor executor) {
        this.name = name;
        this.source = source;
        this.executor = executor;
    }

    String name() {
        return name;
    }

    StreamSource source() {
        return source;
    }

    /** The events; subscribing opens the stream on the hub, cancelling closes it. */
    Flux<Event<Object>> events(WatchHub hub) {
        return Flux.create(s -> {
            sink = s;
            s.onRequest(n -> wake());
            s.onDispose(() -> {
                finished = true;
                hub.closed(this);
            });
            hub.opened(this);
            wake();
        }, FluxSink.OverflowStrategy.BUFFER);
    }

    /** Reads again soon: something in its scope changed, or the client asked for more. */
    void wake() {
        dirty.set(true);
        if (running.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    void heartbeat() {
        heartbeatDue.set(true);
        wake();
    }

    private void drain() {
        try {
            while (dirty.getAndSet(false) && !finished) {
                readWhileAsked();
            }
        } catch (RuntimeException e) {
            LOG.error("watch={} failed", name, e);
            finish(e);
        } finally {
            running.set(false);
        }
        if (dirty.get() && !finished && running.compareAndSet(false, true)) {
            executor.execute(this::drain);
        }
    }

    private void readWhileAsked() {
        FluxSink<Event<Object>> out = sink;
        while (!finished && out.requestedFromDownstream() > 0) {
            int max = (int) Math.min(BATCH, out.requestedFromDownstream());
            StreamSource.Progress progress = source.next(max, out::next);
            if (progress == StreamSource.Progress.DONE) {
                finish(null);
                return;
            }
            if (progress == StreamSource.Progress.CAUGHT_UP) {
                break;
            }
        }
        if (!finished && out.requestedFromDownstream() > 0 && heartbeatDue.getAndSet(false)) {
            out.next(source.heartbeat());
        }
    }

    /** Ends the stream as its timeout does (the client resumes from its last token); safe while a read is under way. */
    void end() {
        if (!finished && sink != null) {
            finish(null);
        }
    }

    private void finish(Throwable failure) {
        finished = true;
        if (failure == null) {
            sink.complete();
        } else {
            sink.error(failure);
        }
    }
}
