package io.edgeplane.seedmanager.binaries;

import io.edgeplane.seedmanager.binaries.BinariesFetcher.BinariesFetchException;
import io.micronaut.context.event.ApplicationEventPublisher;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * Gets each platform's binaries the first time something needs them: a cluster's control plane (the
 * seed's architecture), a device's kubelet (either architecture), or an operator preparing ahead.
 * A complete directory on disk is used as it is; otherwise one preparation runs, shared by everyone
 * asking for that platform, and preparations run one at a time (a Go build takes both cores). A
 * failed attempt is reported with its cause and tried again with backoff; only a directory that is
 * complete is ever handed out, so an interrupted or failed attempt is never used.
 */
@Singleton
public class BinariesPreparations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinariesPreparations.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY = Duration.ofMinutes(15);

    private final BinariesDirectory directory;
    private final BinariesFetcher fetcher;
    private final Consumer<Platform> onReady;
    private final Clock clock;
    private final Duration firstRetry;
    private final Map<Platform, Preparation> preparations = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(daemon("binaries-preparation"));
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("binaries-retry"));

    @Inject
    public BinariesPreparations(BinariesDirectory directory, BinariesFetcher fetcher, ApplicationEventPublisher<BinariesReady> events) {
        this(directory, fetcher, platform -> events.publishEvent(new BinariesReady(platform)), Clock.systemUTC(), FIRST_RETRY);
    }

    BinariesPreparations(BinariesDirectory directory, BinariesFetcher fetcher, Consumer<Platform> onReady, Clock clock,
                         Duration firstRetry) {
        this.directory = directory;
        this.fetcher = fetcher;
        this.onReady = onReady;
        this.clock = clock;
        this.firstRetry = firstRetry;
    }

    /**
     * The platform's binaries when they are complete on disk; otherwise starts their preparation (or
     * joins the one under way, or waits for a failed one's next attempt) and returns its progress.
     */
    public BinariesStatus ensure(Platform platform) {
        Preparation preparation = preparations.computeIfAbsent(platform, Preparation::new);
        boolean start;
        synchronized (preparation) {
            start = preparation.needsStart();
            if (start) {
                preparation.queue();
            }
        }
        if (start) {
            worker.execute(() -> run(preparation));
        }
        return preparation.status();
    }

    /** The platform's state without starting anything. */
    public BinariesStatus status(Platform platform) {
        Preparation preparation = preparations.computeIfAbsent(platform, Preparation::new);
        synchronized (preparation) {
            preparation.refreshFromDisk();
            return preparation.status();
        }
    }

    /** The platform's directory; only meaningful once {@link #ensure} answered ready. */
    public Path directoryOf(Platform platform) {
        return directory.dir(platform);
    }

    private void run(Preparation preparation) {
        Platform platform = preparation.platform;
        synchronized (preparation) {
            if (preparation.phase != BinariesPhase.Queued) {
                return;
            }
            preparation.start();
        }
        LOG.info("binaries={} step=prepare attempt={} components={}", platform, preparation.attempts, platform.components());
        try {
            fetcher.fetch(directory, platform, preparation::progress);
            if (!directory.isComplete(platform, platform.components())) {
                throw new BinariesFetchException("the fetch finished but " + directory.dir(platform)
                        + " is not complete (a component is missing or does not match SHA256SUMS)");
            }
            synchronized (preparation) {
                preparation.ready();
            }
            LOG.info("binaries={} ready in {} s (source {})", platform, preparation.elapsedSeconds(), preparation.source);
            onReady.accept(platform);
        } catch (BinariesFetchException e) {
            fail(preparation, e.getMessage());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            synchronized (preparation) {
                preparation.abandon();
            }
            LOG.info("binaries={} preparation stopped (the seed manager is stopping)", platform);
        } catch (RuntimeException e) {
            LOG.error("binaries={} preparation failed unexpectedly", platform, e);
            fail(preparation, e.toString());
        }
    }

    private void fail(Preparation preparation, String reason) {
        Duration backoff;
        synchronized (preparation) {
            backoff = backoff(preparation.attempts);
            preparation.fail(reason, clock.instant().plus(backoff));
        }
        LOG.warn("binaries={} attempt {} failed: {}; next attempt in {} s", preparation.platform, preparation.attempts, reason,
                backoff.toSeconds());
        try {
            retries.schedule(() -> retry(preparation), backoff.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the seed manager is stopping: the next start asks again
        }
    }

    private void retry(Preparation preparation) {
        synchronized (preparation) {
            if (preparation.phase != BinariesPhase.Failed) {
                return;
            }
            preparation.queue();
        }
        worker.execute(() -> run(preparation));
    }

    /** 30 s after the first failure, doubling, at most 15 min. */
    Duration backoff(int attempts) {
        Duration next = firstRetry.multipliedBy(1L << Math.min(Math.max(attempts - 1, 0), 10));
        return next.compareTo(MAX_RETRY) > 0 ? MAX_RETRY : next;
    }

    /** Stops a running preparation (its processes included) and every scheduled retry. */
    @PreDestroy
    @Override
    public void close() {
        retries.shutdownNow();
        worker.shutdownNow();
        try {
            if (!worker.awaitTermination(30, TimeUnit.SECONDS)) {
                LOG.warn("a binaries preparation did not stop within 30 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static ThreadFactory daemon(String name) {
        return task -> {
            Thread thread = new Thread(task, name);
            thread.setDaemon(true);
            return thread;
        };
    }

    /** One platform's preparation; guarded by its own monitor. */
    private final class Preparation {
        final Platform platform;
        BinariesPhase phase = BinariesPhase.Missing;
        String source;
        String step;
        Instant startedAt;
        Instant finishedAt;
        int attempts;
        String message;
        Instant nextAttemptAt;

        Preparation(Platform platform) {
            this.platform = platform;
        }

        /** True when nothing runs or waits and the directory is not complete (checked now, so a copied-in directory counts). */
        boolean needsStart() {
            if (phase == BinariesPhase.Queued || phase == BinariesPhase.Preparing) {
                return false;
            }
            if (refreshFromDisk()) {
                return false;
            }
            return phase != BinariesPhase.Failed || !clock.instant().isBefore(nextAttemptAt);
        }

        /** Marks the preparation ready when its directory is complete; true if it is. */
        boolean refreshFromDisk() {
            if (phase == BinariesPhase.Queued || phase == BinariesPhase.Preparing) {
                return false;
            }
            boolean complete = directory.isComplete(platform, platform.components());
            if (complete && phase != BinariesPhase.Ready) {
                phase = BinariesPhase.Ready;
                source = attempts == 0 ? "directory" : source;
                message = null;
                nextAttemptAt = null;
            } else if (!complete && phase == BinariesPhase.Ready) {
                phase = BinariesPhase.Missing;
            }
            return complete;
        }

        void queue() {
            phase = BinariesPhase.Queued;
        }

        void start() {
            phase = BinariesPhase.Preparing;
            attempts++;
            startedAt = clock.instant();
            finishedAt = null;
            source = null;
            step = null;
            nextAttemptAt = null;
        }

        synchronized void progress(BinariesFetcher.Progress progress) {
            if (progress.source() != null) {
                source = progress.source();
            }
            step = progress.step();
            LOG.info("binaries={} {}step={}", platform, source != null ? "source=" + source + " " : "", step);
        }

        void ready() {
            phase = BinariesPhase.Ready;
            finishedAt = clock.instant();
            step = null;
            message = null;
        }

        void fail(String reason, Instant next) {
            phase = BinariesPhase.Failed;
            finishedAt = clock.instant();
            message = reason;
            nextAttemptAt = next;
        }

        void abandon() {
            phase = BinariesPhase.Missing;
            finishedAt = clock.instant();
        }

        long elapsedSeconds() {
            return startedAt == null ? 0 : Duration.between(startedAt, finishedAt != null ? finishedAt : clock.instant()).toSeconds();
        }

        synchronized BinariesStatus status() {
            return new BinariesStatus(platform.version(), platform.name(), List.copyOf(platform.components()), phase, source,
                    phase == BinariesPhase.Preparing ? step : null, startedAt, startedAt == null ? null : elapsedSeconds(),
                    attempts, message, nextAttemptAt);
        }
    }
}
