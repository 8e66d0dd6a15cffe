package io.edgeplane.seedmanager.reconcile;

import io.edgeplane.seedmanager.metrics.ReconcileMetrics;
import io.edgeplane.seedmanager.persistence.DatabaseOutage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

/**
 * The one shape of every reconciler: a few daemon workers that, every second and whenever woken,
 * claim due rows from PostgreSQL one at a time and try a pass on each, until none is due. A pass
 * that fails unexpectedly is logged once with its stack trace and the object it is about, counted,
 * and finished so the row is retried. Claims are what keep two workers (or two replicas) off one
 * row, so the loop itself holds no state beyond which rows are failing the same way again.
 *
 * @param <T> the claimed row
 */
public final class ClaimLoop<T> implements AutoCloseable {
    /** Rows failing the same way as last time are remembered up to this many, so a broken fleet cannot grow the map without end. */
    private static final int MAX_REMEMBERED_FAILURES = 10_000;
    /** How long a stop lets passes under way finish before interrupting them. */
    static final Duration FINISH_PASSES = Duration.ofSeconds(5);
    private static final Duration AFTER_INTERRUPT = Duration.ofSeconds(2);

    private final ReconcileKind kind;
    private final int workerCount;
    private final Claims<T> claims;
    private final Reconciler<T> reconciler;
    private final ReconcileMetrics metrics;
    private final Logger log;
    private final ScheduledExecutorService workers;
    private final Map<String, String> failing = new ConcurrentHashMap<>();
    private volatile boolean databaseDown;
    private volatile boolean closing;

    /**
     * @param kind        what is reconciled: names the threads ({@code machine-reconciler}) and the metrics
     * @param workerCount how many rows are reconciled at once
     * @param claims      hands out due rows
     * @param reconciler  runs passes; its logger reports failures
     */
    public ClaimLoop(ReconcileKind kind, int workerCount, Claims<T> claims, Reconciler<T> reconciler, ReconcileMetrics metrics) {
        this.kind = kind;
        this.workerCount = workerCount;
        this.claims = claims;
        this.reconciler = reconciler;
        this.metrics = metrics;
        this.log = LoggerFactory.getLogger(reconciler.getClass());
        this.workers = Executors.newScheduledThreadPool(workerCount, r -> {
            Thread t = new Thread(r, kind + "-reconciler");
            t.setDaemon(true);
            return t;
        });
    }

    /** Releases stale leases, then drains every second on each worker. Call once the whole service is up. */
    public void start() {
        workers.execute(this::releaseStaleLeases);
        for (int i = 0; i < workerCount; i++) {
            workers.scheduleWithFixedDelay(this::drain, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Drains due rows now rather than at the next tick. */
    public void wake() {
        workers.execute(this::drain);
    }

    /**
     * Claims nothing more, lets the passes under way finish (interrupting them after
     * {@link #FINISH_PASSES}), then releases this seed manager's leases, so that during a rolling
     * upgrade another replica takes its rows over at once instead of when their leases expire. A
     * pass that does not end even when interrupted keeps its lease, which then expires as after a crash.
     */
    @Override
    public void close() {
        closing = true;
        workers.shutdown();
        try {
            if (!workers.awaitTermination(FINISH_PASSES.toMillis(), TimeUnit.MILLISECONDS)) {
                workers.shutdownNow();
                if (!workers.awaitTermination(AFTER_INTERRUPT.toMillis(), TimeUnit.MILLISECONDS)) {
                    log.warn("{} reconciler: a pass did not stop; its lease expires on its own", kind);
                    return;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            workers.shutdownNow();
            return;
        }
        releaseStaleLeases();
    }

    private void releaseStaleLeases() {
        try {
            claims.releaseStaleLeases();
        } catch (RuntimeException e) {
            log.warn("{} reconciler: releasing this seed manager's leases failed; they expire on their own", kind, e);
        }
    }

    private void drain() {
        try {
            Optional<T> next;
            while (!closing && !Thread.currentThread().isInterrupted() && (next = claims.claimNext()).isPresent()) {
                pass(next.get());
            }
            if (databaseDown) {
                databaseDown = false;
                log.info("{} reconcile loop: the database answers again", kind);
            }
        } catch (RuntimeException e) {
            if (!DatabaseOutage.isCause(e)) {
                log.error("{} reconcile loop failed", kind, e);
            } else if (!databaseDown) {
                // Once per outage, not every second per worker: the loop simply tries again.
                databaseDown = true;
                log.warn("{} reconcile loop waits for the database: {}", kind, DatabaseOutage.reason(e));
            }
        }
    }

    private void pass(T row) {
        long started = System.nanoTime();
        String ref = kind + "=?";
        boolean failed = false;
        try {
            ref = reconciler.describe(row);
            reconciler.reconcile(row, ref);
            failing.remove(ref);
        } catch (RuntimeException e) {
            failed = true;
            logFailure(ref, e);
            try {
                reconciler.finishFailed(row, e);
            } catch (RuntimeException recording) {
                // The lease expires and another pass retries; the first failure is already logged.
                log.error("{} cannot record the failed reconcile", ref, recording);
            }
        } finally {
            metrics.pass(kind, System.nanoTime() - started, failed);
        }
    }

    /** With its stack trace the first time; a row failing the same way again only at debug, so a broken cluster cannot flood the log. */
    private void logFailure(String ref, RuntimeException e) {
        String signature = e.getClass().getName() + ": " + e.getMessage();
        if (failing.size() >= MAX_REMEMBERED_FAILURES) {
            failing.clear();
        }
        if (Objects.equals(failing.put(ref, signature), signature)) {
            log.debug("{} reconcile failed again", ref, e);
        } else {
            log.warn("{} reconcile failed", ref, e);
        }
    }
}
