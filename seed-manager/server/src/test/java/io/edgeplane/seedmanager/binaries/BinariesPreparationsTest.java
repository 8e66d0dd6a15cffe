package io.edgeplane.seedmanager.binaries;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import java.util.function.Predicate;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The rules of preparing binaries, with a fake fetcher: a complete directory is used as it is; one
 * preparation per platform however many ask; one at a time; a failed or interrupted attempt is never
 * used, is reported with its cause and is tried again with backoff.
 */
class BinariesPreparationsTest {
    private static final Duration WAIT = Duration.ofSeconds(10);

    @TempDir
    Path root;

    private final Platform seed = Platform.ofSeed("v1.36.3");
    private final Platform other = new Platform("v1.36.3", seed.arch().equals("amd64") ? "arm64" : "amd64");
    private final List<Platform> readyEvents = new CopyOnWriteArrayList<>();
    private final SharedCoordination database = new SharedCoordination();
    private BinariesPreparations preparations;
    private BinariesPreparations replica;

    @AfterEach
    void close() {
        if (preparations != null) {
            preparations.close();
        }
        if (replica != null) {
            replica.close();
        }
    }

    @Test
    void aCompleteDirectoryIsUsedAsItIsAndNothingIsFetched() {
        BinariesDirectory directory = new BinariesDirectory(root);
        FakeBinaries.complete(directory, seed, Platform.ALL_COMPONENTS);
        ScriptedFetcher fetcher = new ScriptedFetcher();
        preparations = preparations(directory, fetcher, Duration.ofMillis(50));

        BinariesStatus status = preparations.ensure(seed);
        assertThat(status.phase()).isEqualTo(BinariesPhase.Ready);
        assertThat(status.source()).isEqualTo("directory");
        assertThat(fetcher.calls.get()).isZero();
        assertThat(preparations.directoryOf(seed)).isEqualTo(root.resolve("v1.36.3").resolve(seed.name()));
    }

    @Test
    void everyoneAskingForAPlatformSharesOnePreparation() throws Exception {
        ScriptedFetcher fetcher = preparingSeedPlatform();
        for (int i = 0; i < 5; i++) {
            assertThat(preparations.ensure(seed).phase()).isEqualTo(BinariesPhase.Preparing);
        }
        BinariesStatus preparing = preparations.ensure(seed);
        assertThat(preparing.phase()).isEqualTo(BinariesPhase.Preparing);
        assertThat(preparing.source()).isEqualTo("release");
        assertThat(preparing.step()).isEqualTo("downloading kube-apiserver");
        assertThat(preparing.describe(Instant.now())).contains("downloading kube-apiserver").contains("source release")
                .contains("attempt 1").doesNotContain("null");

        fetcher.release();
        BinariesStatus ready = await(seed, s -> s.phase() == BinariesPhase.Ready);
        assertThat(ready.source()).isEqualTo("release");
        assertThat(fetcher.calls.get()).as("one preparation for everyone").isEqualTo(1);
        assertThat(readyEvent()).containsExactly(seed);
        assertThat(directory().isComplete(seed, seed.components())).isTrue();
    }

    @Test
    void preparationsRunOneAtATimeAndEachPlatformGetsWhatItNeeds() throws Exception {
        ScriptedFetcher fetcher = preparingSeedPlatform();
        BinariesStatus waiting = preparations.ensure(other);
        assertThat(waiting.phase()).isEqualTo(BinariesPhase.Queued);
        assertThat(waiting.describe(Instant.now())).contains("queued");

        fetcher.release();
        await(other, s -> s.phase() == BinariesPhase.Ready);
        assertThat(fetcher.requested).containsExactly(seed.components(), List.of("kubelet", "konnectivity-agent", "kube-proxy", "coredns"));
        assertThat(other.components()).as("another architecture only needs what devices download")
                .containsExactly("kubelet", "konnectivity-agent", "kube-proxy", "coredns");
    }

    @Test
    void aFailedAttemptIsReportedWithItsCauseAndTriedAgainWithBackoff() throws Exception {
        BinariesDirectory directory = new BinariesDirectory(root);
        ScriptedFetcher fetcher = new ScriptedFetcher();
        fetcher.failFirst(2, "release downloads unreachable and no Go toolchain");
        preparations = preparations(directory, fetcher, Duration.ofMillis(200));

        preparations.ensure(seed);
        BinariesStatus failed = await(seed, s -> s.phase() == BinariesPhase.Failed);
        assertThat(failed.message()).isEqualTo("release downloads unreachable and no Go toolchain");
        assertThat(failed.attempts()).isEqualTo(1);
        assertThat(failed.nextAttemptAt()).isAfter(failed.startedAt());
        assertThat(failed.describe(Instant.now())).contains("attempt 1 failed: release downloads unreachable").contains("next attempt in");
        assertThat(failed.retryAfterSeconds(Instant.now())).isGreaterThanOrEqualTo(1);
        assertThat(preparations.ensure(seed).phase()).as("asking again does not skip the backoff").isEqualTo(BinariesPhase.Failed);
        assertThat(fetcher.calls.get()).isEqualTo(1);

        BinariesStatus ready = await(seed, s -> s.phase() == BinariesPhase.Ready);
        assertThat(ready.attempts()).isEqualTo(3);
        assertThat(fetcher.calls.get()).isEqualTo(3);
        assertThat(readyEvent()).containsExactly(seed);
    }

    @Test
    void backoffDoublesFromTheFirstRetryUpToFifteenMinutes() {
        preparations = preparations(new BinariesDirectory(root), new ScriptedFetcher(), BinariesPreparations.FIRST_RETRY);
        assertThat(preparations.backoff(1)).isEqualTo(Duration.ofSeconds(30));
        assertThat(preparations.backoff(2)).isEqualTo(Duration.ofSeconds(60));
        assertThat(preparations.backoff(4)).isEqualTo(Duration.ofMinutes(4));
        assertThat(preparations.backoff(6)).isEqualTo(Duration.ofMinutes(15));
        assertThat(preparations.backoff(60)).isEqualTo(Duration.ofMinutes(15));
    }

    @Test
    void aHalfWrittenDirectoryIsNeverUsed() throws Exception {
        BinariesDirectory directory = new BinariesDirectory(root);
        ScriptedFetcher fetcher = new ScriptedFetcher();
        // Writes two components and "succeeds": no SHA256SUMS covers them, so they must not count.
        fetcher.writeOnly(List.of("etcd", "kube-apiserver"));
        preparations = preparations(directory, fetcher, Duration.ofMinutes(5));

        preparations.ensure(seed);
        BinariesStatus failed = await(seed, s -> s.phase() == BinariesPhase.Failed);
        assertThat(failed.message()).contains("is not complete");
        assertThat(preparations.status(seed).ready()).isFalse();
        assertThat(readyEvents).isEmpty();
    }

    @Test
    void stoppingTheSeedManagerStopsARunningPreparationWithoutRetrying() throws Exception {
        ScriptedFetcher fetcher = preparingSeedPlatform();
        preparations.close();
        assertThat(fetcher.interrupted.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the fetch was interrupted").isTrue();
        Thread.sleep(200);
        assertThat(fetcher.calls.get()).isEqualTo(1);
        assertThat(directory().isComplete(seed, seed.components())).isFalse();
    }

    @Test
    void aDirectoryThatLosesAComponentIsPreparedAgain() throws Exception {
        BinariesDirectory directory = new BinariesDirectory(root);
        ScriptedFetcher fetcher = new ScriptedFetcher();
        preparations = preparations(directory, fetcher, Duration.ofMillis(50));
        preparations.ensure(seed);
        await(seed, BinariesStatus::ready);

        Files.delete(directory.dir(seed).resolve("kubelet"));
        assertThat(preparations.status(seed).phase()).isEqualTo(BinariesPhase.Missing);
        preparations.ensure(seed);
        await(seed, BinariesStatus::ready);
        assertThat(fetcher.calls.get()).isEqualTo(2);
    }

    @Test
    void whileAnotherSeedManagerPreparesAPlatformThisOneWaitsAndUsesItsResult() throws Exception {
        BinariesDirectory shared = directory();
        ScriptedFetcher fetcher = new ScriptedFetcher();
        preparations = preparations(shared, fetcher, Duration.ofMillis(50));
        try (BinariesCoordination.Turn elsewhere = database.heldElsewhere(seed)) {
            preparations.ensure(seed);
            BinariesStatus waiting = await(seed, s -> BinariesPreparations.ELSEWHERE.equals(s.source()));
            assertThat(waiting.phase()).isEqualTo(BinariesPhase.Preparing);
            assertThat(waiting.attempts()).as("waiting is no attempt").isZero();
            assertThat(waiting.describe(Instant.now())).contains("another seed manager").contains("waiting for it to finish");
            FakeBinaries.complete(shared, seed, seed.components());
        }
        BinariesStatus ready = await(seed, BinariesStatus::ready);
        assertThat(fetcher.calls.get()).as("prepared once, by the other").isZero();
        assertThat(ready.source()).isEqualTo("directory");
        assertThat(readyEvent()).containsExactly(seed);
    }

    @Test
    void twoSeedManagersOnOneVolumePrepareAPlatformOnce() throws Exception {
        BinariesDirectory shared = directory();
        ScriptedFetcher first = new ScriptedFetcher();
        first.blockUntilReleased();
        ScriptedFetcher second = new ScriptedFetcher();
        preparations = preparations(shared, first, Duration.ofMillis(50));
        replica = new BinariesPreparations(shared, second, database.as("replica"), p -> { }, Clock.systemUTC(), Duration.ofMillis(50));
        preparations.ensure(seed);
        first.awaitStarted();
        replica.ensure(seed);

        first.release();
        await(seed, BinariesStatus::ready);
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!replica.status(seed).ready() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertThat(replica.status(seed).ready()).isTrue();
        assertThat(first.calls.get() + second.calls.get()).isEqualTo(1);
    }

    @Test
    void aDirectoryWhoseBytesDifferFromAnotherSeedManagersIsNotServed() throws Exception {
        BinariesDirectory mine = directory();
        BinariesDirectory theirs = new BinariesDirectory(root.resolve("theirs"));
        FakeBinaries.complete(theirs, seed, seed.components());
        replica = new BinariesPreparations(theirs, new ScriptedFetcher(), database.as("replica"), p -> { }, Clock.systemUTC(),
                Duration.ofMillis(50));
        assertThat(replica.ensure(seed).ready()).isTrue();

        FakeBinaries.complete(mine, seed, seed.components());
        FakeBinaries.write(mine.dir(seed).resolve("kubelet"), "#!/bin/sh\necho another build\n");
        FakeBinaries.writeSums(mine.dir(seed), seed.components());
        preparations = preparations(mine, new ScriptedFetcher(), Duration.ofMinutes(5));

        BinariesStatus status = preparations.ensure(seed);
        assertThat(status.phase()).isEqualTo(BinariesPhase.Failed);
        assertThat(status.message()).contains("holds other bytes than the other seed managers").contains("kubelet (sha256 ")
                .contains("recorded by replica").doesNotContain("kube-apiserver");
        assertThat(preparations.servable(seed)).isFalse();
        assertThat(replica.servable(seed)).isTrue();

        FakeBinaries.complete(mine, seed, seed.components());
        assertThat(preparations.status(seed).phase()).as("the same bytes again").isEqualTo(BinariesPhase.Ready);
        assertThat(preparations.servable(seed)).isTrue();
    }

    /** The seed platform's preparation, started and held until {@link ScriptedFetcher#release()}. */
    private ScriptedFetcher preparingSeedPlatform() throws InterruptedException {
        ScriptedFetcher fetcher = new ScriptedFetcher();
        fetcher.blockUntilReleased();
        preparations = preparations(directory(), fetcher, Duration.ofMillis(50));
        preparations.ensure(seed);
        fetcher.awaitStarted();
        return fetcher;
    }

    private BinariesDirectory directory() {
        return new BinariesDirectory(root);
    }

    private BinariesPreparations preparations(BinariesDirectory directory, BinariesFetcher fetcher, Duration firstRetry) {
        return new BinariesPreparations(directory, fetcher, database.as("this"), readyEvents::add, Clock.systemUTC(), firstRetry);
    }

    /** The event follows the status turning Ready, on the preparing thread, so it may lag a moment behind. */
    private List<Platform> readyEvent() throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (readyEvents.isEmpty() && System.nanoTime() < deadline) {
            Thread.sleep(10);
        }
        return readyEvents;
    }

    private BinariesStatus await(Platform platform, Predicate<BinariesStatus> condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        BinariesStatus status = preparations.status(platform);
        while (!condition.test(status)) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("still " + status);
            }
            Thread.sleep(10);
            status = preparations.status(platform);
        }
        return status;
    }

    /** Reports progress like the script, then writes a complete directory unless told otherwise. */
    private static final class ScriptedFetcher implements BinariesFetcher {
        final AtomicInteger calls = new AtomicInteger();
        final List<List<String>> requested = new CopyOnWriteArrayList<>();
        final CountDownLatch interrupted = new CountDownLatch(1);
        private final CountDownLatch started = new CountDownLatch(1);
        private CountDownLatch released = new CountDownLatch(0);
        private int failures;
        private String failure;
        private List<String> writeOnly;

        void blockUntilReleased() {
            released = new CountDownLatch(1);
        }

        void release() {
            released.countDown();
        }

        void awaitStarted() throws InterruptedException {
            assertThat(started.await(WAIT.toMillis(), TimeUnit.MILLISECONDS)).as("the fetch started").isTrue();
        }

        void failFirst(int times, String reason) {
            failures = times;
            failure = reason;
        }

        void writeOnly(List<String> components) {
            writeOnly = components;
        }

        @Override
        public void fetch(BinariesDirectory directory, Platform platform, Consumer<Progress> progress)
                throws BinariesFetchException, InterruptedException {
            int call = calls.incrementAndGet();
            requested.add(platform.components());
            progress.accept(new Progress("release", "source: release (https://dl.k8s.io/release)"));
            progress.accept(new Progress(null, "downloading kube-apiserver"));
            started.countDown();
            try {
                released.await();
            } catch (InterruptedException e) {
                interrupted.countDown();
                throw e;
            }
            if (call <= failures) {
                throw new BinariesFetchException(failure);
            }
            if (writeOnly != null) {
                writeOnly.forEach(c -> FakeBinaries.write(directory.dir(platform).resolve(c), "#!/bin/sh\n"));
                return;
            }
            FakeBinaries.complete(directory, platform, platform.components());
        }
    }
}
