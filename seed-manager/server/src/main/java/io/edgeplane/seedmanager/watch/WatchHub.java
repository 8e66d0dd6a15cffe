package io.edgeplane.seedmanager.watch;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.sse.Event;
import io.micronaut.runtime.graceful.GracefulShutdownCapable;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import reactor.core.publisher.Flux;

import java.time.Duration;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The open streams of this replica, by the scopes they follow: a notification of a scope wakes only its
 * streams. Streams read on a small shared pool, never one thread each.
 */
@Singleton
public class WatchHub implements GracefulShutdownCapable {
    private static final Logger LOG = LoggerFactory.getLogger(WatchHub.class);

    private final WatchSettings settings;
    private final Map<String, Set<WatchStream>> byKey = new ConcurrentHashMap<>();
    private final Set<WatchStream> open = ConcurrentHashMap.newKeySet();
    private final AtomicInteger reserved = new AtomicInteger();
    private final ExecutorService readers;
    private final ScheduledExecutorService heartbeats;

    public WatchHub(WatchSettings settings) {
        this.settings = settings;
        AtomicInteger n = new AtomicInteger();
        this.readers = Executors.newFixedThreadPool(settings.pollThreads(), r -> daemon(r, "watch-reader-" + n.incrementAndGet()));
        this.heartbeats = Executors.newSingleThreadScheduledExecutor(r -> daemon(r, "watch-heartbeat"));
        long every = settings.heartbeat().toMillis();
        heartbeats.scheduleWithFixedDelay(() -> open.forEach(WatchStream::heartbeat), every, every, TimeUnit.MILLISECONDS);
    }

    /**
     * A stream of {@code source}'s events for one client. Refused with 503 when this replica already serves
     * its maximum, so a client backs off (or another replica takes it) rather than exhausting memory.
     */
    public Flux<Event<Object>> stream(String name, StreamSource source, @Nullable Integer timeoutSeconds) {
        if (reserved.incrementAndGet() > settings.maxStreams()) {
            reserved.decrementAndGet();
            throw new StreamRefusedException(StreamRefusedException.Reason.BUSY, "this seed manager serves " + settings.maxStreams()
                    + " watches already; retry later");
        }
        WatchStream stream = new WatchStream(name, source, readers);
        Duration open = timeoutSeconds == null ? settings.maxDuration()
                : Duration.ofSeconds(Math.min(timeoutSeconds, settings.maxDuration().toSeconds()));
        return stream.events(this).take(open).doFinally(signal -> reserved.decrementAndGet());
    }

    void opened(WatchStream stream) {
        open.add(stream);
        for (String key : stream.source().keys()) {
            byKey.computeIfAbsent(key, k -> ConcurrentHashMap.newKeySet()).add(stream);
        }
        LOG.debug("watch={} opened ({} open)", stream.name(), open.size());
    }

    void closed(WatchStream stream) {
        if (!open.remove(stream)) {
            return;
        }
        for (String key : stream.source().keys()) {
            byKey.computeIfPresent(key, (k, streams) -> {
                streams.remove(stream);
                return streams.isEmpty() ? null : streams;
            });
        }
        LOG.debug("watch={} closed ({} open)", stream.name(), open.size());
    }

    /** Something changed in the scope {@code key} names ({@code table:scope}). */
    void wake(String key) {
        Set<WatchStream> streams = byKey.get(key);
        if (streams != null) {
            streams.forEach(WatchStream::wake);
        }
    }

    /** Notifications may have been missed: every stream reads again. */
    void wakeAll() {
        open.forEach(WatchStream::wake);
    }

    int openStreams() {
        return open.size();
    }

    /**
     * The replica is stopping: every open stream ends now, as at its timeout, so the HTTP server's drain does
     * not wait the whole grace period for streams that never end; clients resume from their last token on
     * another replica.
     */
    @Override
    public CompletionStage<?> shutdownGracefully() {
        if (!open.isEmpty()) {
            LOG.info("ending {} open watch streams: this replica is stopping", open.size());
        }
        open.forEach(WatchStream::end);
        return CompletableFuture.completedFuture(null);
    }

    @PreDestroy
    void close() {
        heartbeats.shutdownNow();
        readers.shutdownNow();
    }

    private static Thread daemon(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }
}
