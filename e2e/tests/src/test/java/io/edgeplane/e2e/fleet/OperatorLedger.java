package io.edgeplane.e2e.fleet;

import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * An operator's script against a seed manager that may be down at any moment: a call that gets
 * no answer is sent again once the service is back (a creation then accepts 409, since the first
 * one may have landed), and every attempt is written down, answered or not, so that the audit
 * trail can be held against what was really asked and answered.
 */
final class OperatorLedger {
    private static final Duration OUTAGE = Duration.ofMinutes(5);

    /** One call: its audit action ({@code METHOD path}) and the status it got, or 0 when the connection broke. */
    record Attempt(String action, int status) {
    }

    private final FleetApi api;
    private final int port;
    private final List<Attempt> attempts = new ArrayList<>();
    private final Map<String, Integer> landedUnanswered = new TreeMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    OperatorLedger(FleetApi api, int port) {
        this.api = api;
        this.port = port;
    }

    /** A creation: 201 or 202, or 409 once an earlier attempt went unanswered. */
    FleetApi.Reply create(String path, String body) throws InterruptedException {
        return send("POST", path, body, 409, 201, 202);
    }

    FleetApi.Reply post(String path, String body, int... accepted) throws InterruptedException {
        return send("POST", path, body, -1, accepted);
    }

    /** A deletion: one of {@code accepted}, or 404 once an earlier attempt went unanswered. */
    FleetApi.Reply delete(String path, int... accepted) throws InterruptedException {
        return send("DELETE", path, null, 404, accepted);
    }

    /** A single call with no retry, whatever it gets (the outage round asks what a refused call says). */
    FleetApi.Reply once(String method, String path, String body) {
        try {
            FleetApi.Reply reply = "POST".equals(method) ? api.post(path, body) : api.delete(path);
            record(method + " " + path, reply.status());
            return reply;
        } catch (UncheckedIOException noAnswer) {
            record(method + " " + path, 0);
            return new FleetApi.Reply(0, noAnswer.getMessage());
        }
    }

    /** Sends until one of {@code accepted}, or {@code afterLoss} once an attempt went unanswered (the lost one may have landed). */
    private FleetApi.Reply send(String method, String path, String body, int afterLoss, int... accepted) throws InterruptedException {
        boolean unanswered = false;
        long deadline = System.nanoTime() + OUTAGE.toNanos();
        while (true) {
            FleetApi.Reply reply = once(method, path, body);
            for (int status : accepted) {
                if (reply.status() == status) {
                    return reply;
                }
            }
            if (unanswered && reply.status() == afterLoss) {
                synchronized (this) {
                    landedUnanswered.merge(method + " " + path, 1, Integer::sum);
                }
                return reply;
            }
            if (reply.status() != 0 && reply.status() != 503) {
                throw new IllegalStateException(method + " " + path + ": unexpected answer " + reply.status() + ": " + reply.body());
            }
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException(method + " " + path + ": no answer within " + OUTAGE);
            }
            unanswered |= reply.status() == 0;
            awaitHealthy();
        }
    }

    /** Until {@code /health} answers 200, whoever is restarting the seed manager meanwhile. */
    void awaitHealthy() throws InterruptedException {
        long deadline = System.nanoTime() + OUTAGE.toNanos();
        HttpRequest health = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).timeout(Duration.ofSeconds(5)).build();
        while (System.nanoTime() < deadline) {
            try {
                if (http.send(health, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (java.io.IOException down) {
                // restarting
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the seed manager was not healthy again within " + OUTAGE);
    }

    private synchronized void record(String action, int status) {
        attempts.add(new Attempt(action, status));
    }

    /** Per audit action: how many attempts there were, and per status how many were answered with it. */
    synchronized Map<String, Map<Integer, Integer>> tally() {
        Map<String, Map<Integer, Integer>> tally = new TreeMap<>();
        for (Attempt attempt : attempts) {
            tally.computeIfAbsent(attempt.action(), a -> new TreeMap<>()).merge(attempt.status(), 1, Integer::sum);
        }
        return tally;
    }

    /** Per action, the calls whose answer was lost but which had landed (the retry found the object created, or gone). */
    synchronized Map<String, Integer> landedUnanswered() {
        return Map.copyOf(landedUnanswered);
    }
}
