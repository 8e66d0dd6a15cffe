package io.edgeplane.seedmanager.datacenter;

import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import io.micronaut.context.annotation.Context;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.context.event.StartupEvent;
import io.micronaut.runtime.event.annotation.EventListener;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Inject;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * Holds the active {@link Seed} and follows its file. Eager ({@link Context}) so the service
 * refuses to start with a missing or invalid seed. Afterwards the file is polled by content
 * checksum, which also catches editors that replace the file by renaming: a valid change becomes
 * active, an invalid one is rejected and the previous seed stays active.
 */
@Context
@Singleton
public class SeedRegistry implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(SeedRegistry.class);

    private final Path seedFile;
    private final String fileName;
    private final @Nullable Duration reloadInterval;
    private final SeedParser parser;
    private final Clock clock;

    private volatile Snapshot snapshot;
    // Remembered so an invalid file left in place is logged once, not on every poll.
    private @Nullable Rejection lastRejection;
    private @Nullable ScheduledExecutorService poller;

    @Inject
    public SeedRegistry(EdgeplaneConfig config, SeedParser parser) {
        this(config.seedFile(), config.seedReloadInterval(), parser, Clock.systemUTC());
    }

    /** Loads the seed file now; throws {@link InvalidSeedException} listing every problem if it is unusable. */
    SeedRegistry(Path seedFile, @Nullable Duration reloadInterval, SeedParser parser, Clock clock) {
        this.seedFile = seedFile;
        this.fileName = seedFile.toString();
        this.reloadInterval = reloadInterval;
        this.parser = parser;
        this.clock = clock;
        this.snapshot = loadInitial();
    }

    /** The active seed; never null. */
    public Seed current() {
        return snapshot.seed();
    }

    public SeedStatus status() {
        return snapshot.status();
    }

    /** Watching starts with the service, so a service that fails to start leaves no poller behind. */
    @EventListener
    void onStartup(StartupEvent event) {
        startWatching();
    }

    public synchronized void startWatching() {
        if (poller != null) {
            return;
        }
        if (reloadInterval == null || reloadInterval.isZero() || reloadInterval.isNegative()) {
            LOG.info("seed={} file={} reload disabled (seed-reload-interval is not positive)", current().name(), fileName);
            return;
        }
        poller = Executors.newSingleThreadScheduledExecutor(task -> {
            Thread thread = new Thread(task, "seed-reload");
            thread.setDaemon(true);
            return thread;
        });
        long millis = reloadInterval.toMillis();
        poller.scheduleWithFixedDelay(this::pollOnce, millis, millis, TimeUnit.MILLISECONDS);
    }

    @PreDestroy
    @Override
    public void close() {
        ScheduledExecutorService stopping;
        synchronized (this) {
            stopping = poller;
            poller = null;
        }
        if (stopping == null) {
            return;
        }
        // Let a running check finish: interrupting it mid-read would log a spurious rejection.
        stopping.shutdown();
        try {
            if (!stopping.awaitTermination(5, TimeUnit.SECONDS)) {
                stopping.shutdownNow();
            }
        } catch (InterruptedException e) {
            stopping.shutdownNow();
            Thread.currentThread().interrupt();
        }
    }

    /** Checks the file once and applies or rejects a change; what the poller runs, callable directly by tests. */
    synchronized ReloadResult checkForChanges() {
        Instant now = clock.instant();
        byte[] content;
        try {
            content = Files.readAllBytes(seedFile);
        } catch (IOException e) {
            List<SeedProblem> problems = SeedParser.unreadable(fileName, e).problems();
            return reject("unreadable " + problems, problems, now);
        }
        String checksum = sha256(content);
        if (checksum.equals(snapshot.status().checksum())) {
            lastRejection = null;
            return record(new ReloadResult(now, ReloadOutcome.UNCHANGED, List.of()));
        }
        if (lastRejection != null && lastRejection.fingerprint().equals(checksum)) {
            return record(new ReloadResult(now, ReloadOutcome.REJECTED, lastRejection.problems()));
        }
        SeedParseResult result = parser.parse(content, fileName);
        if (!result.isValid()) {
            return reject(checksum, result.problems(), now);
        }
        return apply(result.seed(), checksum, now);
    }

    private Snapshot loadInitial() {
        byte[] content;
        try {
            content = Files.readAllBytes(seedFile);
        } catch (IOException e) {
            throw new InvalidSeedException(SeedParser.unreadable(fileName, e).problems());
        }
        SeedParseResult result = parser.parse(content, fileName);
        if (!result.isValid()) {
            throw new InvalidSeedException(result.problems());
        }
        Seed seed = result.seed();
        Instant now = clock.instant();
        String checksum = sha256(content);
        LOG.info("seed={} generation=1 checksum={} file={} datacenters={}: loaded",
                seed.name(), checksum, fileName, seed.datacenters().size());
        ReloadResult loaded = new ReloadResult(now, ReloadOutcome.APPLIED, List.of());
        return new Snapshot(seed, new SeedStatus(seed.name(), fileName, 1, checksum, now, loaded));
    }

    private ReloadResult apply(Seed seed, String checksum, Instant now) {
        SeedStatus previous = snapshot.status();
        long generation = previous.generation() + 1;
        ReloadResult applied = new ReloadResult(now, ReloadOutcome.APPLIED, List.of());
        snapshot = new Snapshot(seed, new SeedStatus(seed.name(), fileName, generation, checksum, now, applied));
        lastRejection = null;
        LOG.info("seed={} generation={} checksum={} file={} datacenters={}: applied change",
                seed.name(), generation, checksum, fileName, seed.datacenters().size());
        return applied;
    }

    private ReloadResult reject(String fingerprint, List<SeedProblem> problems, Instant now) {
        List<String> described = problems.stream().map(SeedProblem::toString).toList();
        if (lastRejection == null || !lastRejection.fingerprint().equals(fingerprint)) {
            SeedStatus active = snapshot.status();
            problems.forEach(problem -> LOG.warn("seed={} generation={} reload rejected, active seed kept: {}",
                    active.name(), active.generation(), problem));
            lastRejection = new Rejection(fingerprint, described);
        }
        return record(new ReloadResult(now, ReloadOutcome.REJECTED, described));
    }

    private ReloadResult record(ReloadResult result) {
        Snapshot current = snapshot;
        snapshot = new Snapshot(current.seed(), current.status().withLastReload(result));
        return result;
    }

    // The poller must survive anything a check throws, or reloading stops silently.
    private void pollOnce() {
        try {
            checkForChanges();
        } catch (RuntimeException e) {
            LOG.error("seed={} file={} reload check failed", current().name(), fileName, e);
        }
    }

    private static String sha256(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM provides SHA-256", e);
        }
    }

    /** Seed and status swapped together, so readers never see one without the other. */
    private record Snapshot(Seed seed, SeedStatus status) {
    }

    private record Rejection(String fingerprint, List<String> problems) {
    }
}
