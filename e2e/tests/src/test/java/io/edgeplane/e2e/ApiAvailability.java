package io.edgeplane.e2e;

import javax.net.ssl.SSLContext;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * One authenticated API read, repeated on a background thread while something disruptive happens (a
 * rolling upgrade): every answer other than 200, every refused or reset connection and every timeout is
 * recorded, with the longest time between two good answers. Every other request opens a new connection,
 * which the Service sends to any ready replica; the others reuse one kept-alive connection, which stays
 * on its replica until that replica closes it, as a long-lived client's would.
 */
final class ApiAvailability implements AutoCloseable {
    /** What the reads saw: how many, the failures (when and why), the longest time without a good answer, the slowest answer. */
    record Result(int requests, List<String> failures, Duration longestGap, Duration slowest) {
    }

    private final URI uri;
    private final String token;
    private final SSLContext tls;
    private final Duration every;
    private final HttpClient keptAlive;
    private final List<String> failures = Collections.synchronizedList(new ArrayList<>());
    private final Thread thread;
    private volatile boolean stopped;
    private int requests;
    private long longestGapNanos;
    private long slowestNanos;

    private ApiAvailability(URI uri, String token, SSLContext tls, Duration every) {
        this.uri = uri;
        this.token = token;
        this.tls = tls;
        this.every = every;
        this.keptAlive = client();
        this.thread = new Thread(this::run, "api-availability");
        this.thread.setDaemon(true);
    }

    /** Starts reading {@code uri} with {@code token} every {@code every}, TLS verified with {@code tls}. */
    static ApiAvailability start(URI uri, String token, SSLContext tls, Duration every) {
        ApiAvailability reads = new ApiAvailability(uri, token, tls, every);
        reads.thread.start();
        return reads;
    }

    /** Stops reading (after the request under way) and returns what was seen. */
    Result stop() throws InterruptedException {
        stopped = true;
        thread.join(Duration.ofSeconds(30).toMillis());
        synchronized (this) {
            return new Result(requests, List.copyOf(failures), Duration.ofNanos(longestGapNanos), Duration.ofNanos(slowestNanos));
        }
    }

    @Override
    public void close() throws InterruptedException {
        stop();
    }

    private void run() {
        long lastGood = System.nanoTime();
        for (int n = 0; !stopped; n++) {
            long sent = System.nanoTime();
            boolean fresh = n % 2 == 1;
            String failure = read(fresh ? client() : keptAlive);
            long answered = System.nanoTime();
            synchronized (this) {
                requests++;
                slowestNanos = Math.max(slowestNanos, answered - sent);
                if (failure == null) {
                    longestGapNanos = Math.max(longestGapNanos, answered - lastGood);
                    lastGood = answered;
                } else {
                    failures.add(Instant.now() + " " + (fresh ? "new connection" : "kept-alive connection") + ": " + failure);
                }
            }
            long pause = every.toNanos() - (System.nanoTime() - sent);
            if (pause > 0) {
                try {
                    Thread.sleep(pause / 1_000_000, (int) (pause % 1_000_000));
                } catch (InterruptedException e) {
                    return;
                }
            }
        }
    }

    /** Null for a 200, else what went wrong. */
    private String read(HttpClient client) {
        HttpRequest request = HttpRequest.newBuilder(uri).timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + token).GET().build();
        try {
            HttpResponse<String> response = client.send(request, HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? null : response.statusCode() + " " + response.body();
        } catch (IOException e) {
            return e.toString();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "interrupted";
        }
    }

    private HttpClient client() {
        return HttpClient.newBuilder().sslContext(tls).version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
