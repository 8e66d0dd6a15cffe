package io.edgeplane.seedmanager.reconcile;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgeplane.seedmanager.metrics.MetricNames;
import io.edgeplane.seedmanager.metrics.ReconcileMetrics;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimLoopTest {
    private final Queue<String> due = new ConcurrentLinkedQueue<>();
    private final Queue<String> reconciled = new ConcurrentLinkedQueue<>();
    private final Queue<String> finishedFailed = new ConcurrentLinkedQueue<>();
    private final CountDownLatch released = new CountDownLatch(1);
    private final AtomicInteger releases = new AtomicInteger();
    private final CountDownLatch slowStarted = new CountDownLatch(1);
    private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
    private final ListAppender<ILoggingEvent> logged = new ListAppender<>();
    private final Logger logger = (Logger) LoggerFactory.getLogger(Rows.class);

    private final Rows rows = new Rows();

    /** Rows named {@code bad...} fail their pass. */
    private final class Rows implements Claims<String>, Reconciler<String> {
        @Override
        public Optional<String> claimNext() {
            return Optional.ofNullable(due.poll());
        }

        @Override
        public void releaseStaleLeases() {
            releases.incrementAndGet();
            released.countDown();
        }

        @Override
        public String describe(String row) {
            return "test=p1/" + row;
        }

        @Override
        public void reconcile(String row, String ref) {
            if (row.startsWith("bad")) {
                throw new IllegalStateException("broken " + row);
            }
            if (row.startsWith("slow")) {
                slowStarted.countDown();
                try {
                    Thread.sleep(500);
                } catch (InterruptedException e) {
                    throw new IllegalStateException("interrupted " + row, e);
                }
            }
            reconciled.add(row);
        }

        @Override
        public void finishFailed(String row, RuntimeException failure) {
            finishedFailed.add(row + ": " + failure.getMessage());
        }
    }

    @BeforeEach
    void captureLog() {
        logged.start();
        logger.addAppender(logged);
        logger.setLevel(Level.DEBUG);
    }

    @AfterEach
    void releaseLog() {
        logger.detachAppender(logged);
    }

    private ClaimLoop<String> loop(int workers) {
        return new ClaimLoop<>(ReconcileKind.workload, workers, rows, rows, new ReconcileMetrics(registry));
    }

    @Test
    void startReleasesStaleLeasesAndDrainsEveryDueRow() throws Exception {
        due.addAll(List.of("a", "b", "c"));
        try (ClaimLoop<String> loop = loop(2)) {
            loop.start();
            assertThat(released.await(5, TimeUnit.SECONDS)).isTrue();
            await(() -> reconciled.size() == 3);
            assertThat(reconciled).containsExactlyInAnyOrder("a", "b", "c");
            await(() -> registry.get(MetricNames.RECONCILE_DURATION).tag("kind", "workload").timer().count() == 3);
        }
    }

    @Test
    void aStopLetsThePassUnderWayFinishClaimsNothingMoreAndThenReleasesTheLeases() throws Exception {
        due.add("slow");
        ClaimLoop<String> loop = loop(1);
        loop.start();
        assertThat(slowStarted.await(5, TimeUnit.SECONDS)).isTrue();
        due.addAll(List.of("later-1", "later-2"));
        int releasedAtStart = releases.get();

        loop.close();
        assertThat(reconciled).as("finished, not interrupted").containsExactly("slow");
        assertThat(due).as("nothing claimed once stopping").containsExactly("later-1", "later-2");
        assertThat(releases.get()).as("leases handed over after the pass").isEqualTo(releasedAtStart + 1);
    }

    @Test
    void aFailedPassIsFinishedCountedAndLoggedOnceWithItsStackTraceAndObject() throws Exception {
        try (ClaimLoop<String> loop = loop(1)) {
            due.addAll(List.of("bad-1", "d"));
            loop.wake();
            await(() -> reconciled.contains("d"));
            assertThat(finishedFailed).containsExactly("bad-1: broken bad-1");
            assertThat(released.getCount()).as("not started: no leases released").isEqualTo(1);

            due.add("bad-1");
            loop.wake();
            await(() -> finishedFailed.size() == 2);
            await(() -> registry.get(MetricNames.RECONCILE_ERRORS).tag("kind", "workload").counter().count() == 2);
        }
        List<ILoggingEvent> failures = logged.list.stream().filter(e -> e.getFormattedMessage().contains("reconcile failed")).toList();
        assertThat(failures).hasSize(2);
        assertThat(failures.get(0).getLevel()).isEqualTo(Level.WARN);
        assertThat(failures.get(0).getFormattedMessage()).isEqualTo("test=p1/bad-1 reconcile failed");
        assertThat(failures.get(0).getThrowableProxy().getMessage()).isEqualTo("broken bad-1");
        assertThat(failures.get(0).getThrowableProxy().getStackTraceElementProxyArray()).isNotEmpty();
        assertThat(failures.get(1).getLevel()).as("the same failure again is not shouted again").isEqualTo(Level.DEBUG);
        assertThat(logged.list).noneMatch(e -> e.getFormattedMessage().contains("IllegalStateException"));
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as("condition not met in time").isLessThan(deadline);
            Thread.sleep(20);
        }
    }
}
