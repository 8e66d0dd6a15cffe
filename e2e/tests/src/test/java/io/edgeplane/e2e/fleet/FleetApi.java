package io.edgeplane.e2e.fleet;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * The seed manager's admin API as an operator's script drives it, timing every call: what the
 * benchmark measures as API latency is what its own calls saw while the fleet was at work.
 */
final class FleetApi {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int PAGE = 500;

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    private final String base;
    private final String token;
    private final Latencies latencies;

    FleetApi(int port, String token, Latencies latencies) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
        this.latencies = latencies;
    }

    record Reply(int status, String body) {
        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                throw new UncheckedIOException("not JSON: " + body, e);
            }
        }

        Reply expect(int... statuses) {
            for (int s : statuses) {
                if (status == s) {
                    return this;
                }
            }
            throw new IllegalStateException("unexpected answer " + status + ": " + body);
        }
    }

    Reply get(String path) {
        return send(Latencies.Kind.get, "GET", path, null);
    }

    Reply post(String path, String json) {
        return send(Latencies.Kind.mutate, "POST", path, json);
    }

    Reply delete(String path) {
        return send(Latencies.Kind.mutate, "DELETE", path, null);
    }

    /** Every item of a paginated list, page by page (each page timed as one list call). */
    List<JsonNode> list(String path) {
        List<JsonNode> items = new ArrayList<>();
        String cursor = null;
        do {
            String page = path + (path.contains("?") ? "&" : "?") + "limit=" + PAGE
                    + (cursor == null ? "" : "&cursor=" + URLEncoder.encode(cursor, StandardCharsets.UTF_8));
            JsonNode answer = send(Latencies.Kind.list, "GET", page, null).expect(200).json();
            answer.path("items").forEach(items::add);
            cursor = answer.path("nextCursor").isTextual() ? answer.path("nextCursor").asText() : null;
        } while (cursor != null);
        return items;
    }

    private Reply send(Latencies.Kind kind, String method, String path, String json) {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofMinutes(2))
                .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json))
                .header("Authorization", "Bearer " + token);
        if (json != null) {
            request.header("Content-Type", "application/json");
        }
        long started = System.nanoTime();
        try {
            HttpResponse<String> response = http.send(request.build(), HttpResponse.BodyHandlers.ofString());
            latencies.record(kind, System.nanoTime() - started);
            return new Reply(response.statusCode(), response.body());
        } catch (IOException e) {
            throw new UncheckedIOException(method + " " + path, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
