package io.edgeplane.seedmanager.reconcile;

import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import java.util.List;
import java.util.Optional;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

class ClaimLoopTest {
    private final Queue<String> due = new ConcurrentLinkedQueue<>();
    private final Queue<String> reconciled = new ConcurrentLinkedQueue<>();
    private final CountDownLatch released = new CountDownLatch(1);

    private ClaimLoop<String> loop(int workers) {
        return new ClaimLoop<>("test", workers, () -> Optional.ofNullable(due.poll()), row -> {
            if (row.startsWith("bad")) {
                throw new IllegalStateException(row);
            }
            reconciled.add(row);
        }, released::countDown, LoggerFactory.getLogger(ClaimLoopTest.class));
    }

    @Test
    void startReleasesStaleLeasesAndDrainsEveryDueRow() throws Exception {
        due.addAll(List.of("a", "b", "c"));
        try (ClaimLoop<String> loop = loop(2)) {
            loop.start();
            assertThat(released.await(5, TimeUnit.SECONDS)).isTrue();
            awaitReconciled(3);
            assertThat(reconciled).containsExactlyInAnyOrder("a", "b", "c");
        }
    }

    @Test
    void wakeDrainsAtOnceAndAFailedRowDoesNotStopTheLoop() throws Exception {
        try (ClaimLoop<String> loop = loop(1)) {
            due.addAll(List.of("bad-1", "d"));
            loop.wake();
            loop.wake();
            awaitReconciled(1);
            assertThat(reconciled).containsExactly("d");
            assertThat(released.getCount()).as("not started: no leases released").isEqualTo(1);
        }
    }

    private void awaitReconciled(int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (reconciled.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
    }
}
