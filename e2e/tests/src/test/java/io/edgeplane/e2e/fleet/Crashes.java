package io.edgeplane.e2e.fleet;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Kills the seed manager with {@code kill -9} at random moments of a round and starts it again on
 * the same data each time, in the background while the round's operator goes on.
 */
final class Crashes implements AutoCloseable {
    private final Thread thread;
    private final List<Double> killedAt = new ArrayList<>();
    private final List<Double> restartSeconds = new ArrayList<>();
    private volatile Exception failure;

    /** {@code kills} crashes, each after a random wait of up to {@code window} from the previous restart. */
    Crashes(SeedManagerProcess seed, int kills, Duration window, Random random) {
        long started = System.nanoTime();
        thread = new Thread(() -> {
            try {
                for (int i = 0; i < kills; i++) {
                    Thread.sleep((long) (random.nextDouble() * window.toMillis()));
                    seed.kill();
                    synchronized (killedAt) {
                        killedAt.add((System.nanoTime() - started) / 1e9);
                    }
                    Duration restart = seed.restart(Duration.ofMinutes(5));
                    synchronized (killedAt) {
                        restartSeconds.add(restart.toMillis() / 1000.0);
                    }
                }
            } catch (InterruptedException stopped) {
                Thread.currentThread().interrupt();
            } catch (Exception e) {
                failure = e;
            }
        }, "crashes");
        thread.setDaemon(true);
        thread.start();
    }

    /** Seconds into the round at which each kill came. */
    List<Double> killedAt() {
        synchronized (killedAt) {
            return List.copyOf(killedAt);
        }
    }

    List<Double> restartSeconds() {
        synchronized (killedAt) {
            return List.copyOf(restartSeconds);
        }
    }

    /** Waits for every kill and restart of the round; a restart that failed fails the round. */
    @Override
    public void close() throws Exception {
        thread.join(Duration.ofMinutes(15).toMillis());
        if (thread.isAlive()) {
            thread.interrupt();
            throw new IllegalStateException("the crashes of this round did not finish within 15 minutes");
        }
        if (failure != null) {
            throw failure;
        }
    }
}
