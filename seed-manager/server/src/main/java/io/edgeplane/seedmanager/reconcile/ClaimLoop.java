package io.edgeplane.seedmanager.reconcile;

import org.slf4j.Logger;

import java.util.Optional;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The work loop of a reconciler: a few daemon workers that, every second and whenever woken,
 * claim due rows from PostgreSQL one at a time and reconcile each, until none is due. Claims are
 * what keep two workers (or two replicas) off one row, so the loop itself holds no state.
 *
 * @param <T> the claimed row
 */
public final class ClaimLoop<T> implements AutoCloseable {
    private final String kind;
    private final int workerCount;
    private final Supplier<Optional<T>> claimNext;
    private final Consumer<T> reconcile;
    private final Runnable releaseStale;
    private final Logger log;
    private final ScheduledExecutorService workers;

    /**
     * @param kind         what is reconciled, e.g. {@code machine}: names the threads ({@code machine-reconciler}) and the log line
     * @param workerCount  how many rows are reconciled at once
     * @param claimNext    claims the next due row, if any
     * @param reconcile    reconciles one claimed row; it finishes the claim itself
     * @param releaseStale releases the leases a previous run of this seed manager left behind
     * @param log          the reconciler's logger, which reports a failing loop
     */
    public ClaimLoop(String kind, int workerCount, Supplier<Optional<T>> claimNext, Consumer<T> reconcile, Runnable releaseStale,
                     Logger log) {
        this.kind = kind;
        this.workerCount = workerCount;
        this.claimNext = claimNext;
        this.reconcile = reconcile;
        this.releaseStale = releaseStale;
        this.log = log;
        this.workers = Executors.newScheduledThreadPool(workerCount, r -> {
            Thread t = new Thread(r, kind + "-reconciler");
            t.setDaemon(true);
            return t;
        });
    }

    /** Releases stale leases, then drains every second on each worker. Call once the whole service is up. */
    public void start() {
        workers.execute(releaseStale);
        for (int i = 0; i < workerCount; i++) {
            workers.scheduleWithFixedDelay(this::drain, 1, 1, TimeUnit.SECONDS);
        }
    }

    /** Drains due rows now rather than at the next tick. */
    public void wake() {
        workers.execute(this::drain);
    }

    @Override
    public void close() {
        workers.shutdownNow();
    }

    private void drain() {
        try {
            Optional<T> next;
            while (!Thread.currentThread().isInterrupted() && (next = claimNext.get()).isPresent()) {
                reconcile.accept(next.get());
            }
        } catch (RuntimeException e) {
            log.error("{} reconcile loop failed", kind, e);
        }
    }
}
