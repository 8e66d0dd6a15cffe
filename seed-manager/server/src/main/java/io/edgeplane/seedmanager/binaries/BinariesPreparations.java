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
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.stream.Collectors;

/**
 * Gets each platform's binaries the first time something needs them: a cluster's control plane (the
 * seed's architecture), a device's kubelet (either architecture), or an operator preparing ahead.
 * A complete directory on disk is used as it is; otherwise one preparation runs, shared by everyone
 * asking for that platform, and preparations run one at a time (a Go build takes both cores). A
 * failed attempt is reported with its cause and tried again with backoff; only a directory that is
 * complete is ever handed out, so an interrupted or failed attempt is never used.
 *
 * <p>Seed managers sharing a database take turns through it: while another one prepares a platform
 * this one waits for it (on a shared binaries volume its result is then complete here too) rather
 * than preparing the same version again. A directory is ready only when its components have the
 * bytes every other seed manager of the database serves, since a script one renders pins the sums
 * of files a device may download from another.
 */
@Singleton
public class BinariesPreparations implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(BinariesPreparations.class);
    static final Duration FIRST_RETRY = Duration.ofSeconds(30);
    static final Duration MAX_RETRY = Duration.ofMinutes(15);
    static final Duration TURN_RECHECK = Duration.ofSeconds(5);
    static final String ELSEWHERE = "another seed manager";

    private final BinariesDirectory directory;
    private final BinariesFetcher fetcher;
    private final BinariesCoordination coordination;
    private final Consumer<Platform> onReady;
    private final Clock clock;
    private final Duration firstRetry;
    private final Map<Platform, Preparation> preparations = new ConcurrentHashMap<>();
    private final ExecutorService worker = Executors.newSingleThreadExecutor(daemon("binaries-preparation"));
    private final ScheduledExecutorService retries = Executors.newSingleThreadScheduledExecutor(daemon("binaries-retry"));

    @Inject
    public BinariesPreparations(BinariesDirectory directory, BinariesFetcher fetcher, BinariesCoordination coordination,
                                ApplicationEventPublisher<BinariesReady> events) {
        this(directory, fetcher, coordination, platform -> events.publishEvent(new BinariesReady(platform)), Clock.systemUTC(),
                FIRST_RETRY);
    }

    BinariesPreparations(BinariesDirectory directory, BinariesFetcher fetcher, BinariesCoordination coordination,
                         Consumer<Platform> onReady, Clock clock, Duration firstRetry) {
        this.directory = directory;
        this.fetcher = fetcher;
        this.coordination = coordination;
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

    /**
     * Whether the platform's files on disk may be served: not when the directory is complete but its
     * bytes differ from the other seed managers' (then the status says which and why).
     */
    public boolean servable(Platform platform) {
        BinariesStatus status = status(platform);
        return status.phase() != BinariesPhase.Failed || !directory.isComplete(platform, platform.components());
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
        }
        Optional<BinariesCoordination.Turn> turn;
        try {
            turn = coordination.tryTurn(platform);
        } catch (BinariesFetchException e) {
            synchronized (preparation) {
                preparation.start();
            }
            fail(preparation, e.getMessage());
            return;
        }
        if (turn.isEmpty()) {
            awaitOther(preparation);
            return;
        }
        try (BinariesCoordination.Turn held = turn.get()) {
            prepare(preparation);
        }
    }

    private void prepare(Preparation preparation) {
        Platform platform = preparation.platform;
        synchronized (preparation) {
            preparation.start();
        }
        LOG.info("binaries={} step=prepare attempt={} components={}", platform, preparation.attempts, platform.components());
        try {
            if (directory.isComplete(platform, platform.components())) {
                preparation.progress(new BinariesFetcher.Progress("directory", "prepared by " + ELSEWHERE));
            } else {
                fetcher.fetch(directory, platform, preparation::progress);
            }
            if (!directory.isComplete(platform, platform.components())) {
                throw new BinariesFetchException("the fetch finished but " + directory.dir(platform)
                        + " is not complete (a component is missing or does not match SHA256SUMS)");
            }
            Optional<String> disagreement = disagreement(platform);
            if (disagreement.isPresent()) {
                throw new BinariesFetchException(disagreement.get());
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

    /** Another seed manager prepares the platform: look again shortly, without counting an attempt. */
    private void awaitOther(Preparation preparation) {
        boolean first;
        synchronized (preparation) {
            first = !preparation.elsewhere;
            preparation.awaitOther();
        }
        if (first) {
            LOG.info("binaries={} {} of this database prepares them; waiting for it", preparation.platform, ELSEWHERE);
        }
        try {
            retries.schedule(() -> {
                synchronized (preparation) {
                    if (!preparation.elsewhere) {
                        return;
                    }
                    preparation.queue();
                }
                worker.execute(() -> run(preparation));
            }, TURN_RECHECK.toMillis(), TimeUnit.MILLISECONDS);
        } catch (RejectedExecutionException stopping) {
            // the seed manager is stopping: the next start asks again
        }
    }

    /** Why this directory's bytes may not be served beside the other seed managers', if they differ. */
    private Optional<String> disagreement(Platform platform) throws BinariesFetchException {
        Map<String, String> sums = new TreeMap<>(directory.sums(directory.dir(platform)));
        sums.keySet().retainAll(platform.components());
        List<BinariesCoordination.Disagreement> differ;
        try {
            differ = coordination.agree(platform, sums);
        } catch (RuntimeException e) {
            throw new BinariesFetchException("cannot compare " + platform + " with the other seed managers' (database: " + e.getMessage() + ")");
        }
        if (differ.isEmpty()) {
            return Optional.empty();
        }
        return Optional.of(directory.dir(platform) + " holds other bytes than the other seed managers of this database serve: "
                + differ.stream().map(BinariesCoordination.Disagreement::describe).collect(Collectors.joining(", "))
                + "; prepare every replica's binaries from one source (one shared volume, or the same release downloads),"
                + " or remove this directory to prepare it again");
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
            if (preparation.phase != BinariesPhase.Failed || preparation.elsewhere) {
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
        /** Waiting while another seed manager holds the turn. */
        boolean elsewhere;

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
            if (complete && phase != BinariesPhase.Ready && !agreed()) {
                return false;
            }
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

        /** A complete directory found on disk counts once its bytes agree with the other seed managers'; else it fails. */
        private boolean agreed() {
            try {
                Optional<String> differ = disagreement(platform);
                if (differ.isEmpty()) {
                    return true;
                }
                if (phase != BinariesPhase.Failed) {
                    attempts = Math.max(attempts, 1);
                    fail(differ.get(), clock.instant().plus(backoff(attempts)));
                    LOG.warn("binaries={} {}", platform, differ.get());
                }
            } catch (BinariesFetchException e) {
                LOG.debug("binaries={} not compared: {}", platform, e.getMessage());
            }
            return false;
        }

        void queue() {
            phase = BinariesPhase.Queued;
            elsewhere = false;
        }

        void awaitOther() {
            phase = BinariesPhase.Preparing;
            elsewhere = true;
            source = ELSEWHERE;
            step = "waiting for it to finish";
            message = null;
            nextAttemptAt = null;
        }

        void start() {
            phase = BinariesPhase.Preparing;
            elsewhere = false;
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
