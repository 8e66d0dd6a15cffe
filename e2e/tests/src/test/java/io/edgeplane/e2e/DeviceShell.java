package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * A root shell on a test-bed device for the browser flow: {@code POST /run} with the command as its
 * body runs it there with bash and answers {@code {"exitCode", "stdout", "stderr"}}. It plays the
 * person who pastes the console's provisioning command into the device's terminal. Loopback only, and
 * only for requests that carry its random bearer secret, since it runs anything it is sent as root.
 */
final class DeviceShell implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration COMMAND_TIMEOUT = Duration.ofMinutes(5);

    private final HttpServer server;
    private final ExecutorService executor;
    private final String secret;

    private DeviceShell(HttpServer server, ExecutorService executor, String secret) {
        this.server = server;
        this.executor = executor;
        this.secret = secret;
    }

    static DeviceShell start(Device device) throws IOException {
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String secret = HexFormat.of().formatHex(random);
        HttpServer server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        ExecutorService executor = Executors.newSingleThreadExecutor();
        DeviceShell shell = new DeviceShell(server, executor, secret);
        server.createContext("/run", exchange -> shell.handle(exchange, device));
        server.setExecutor(executor);
        server.start();
        return shell;
    }

    String url() {
        return "http://127.0.0.1:" + server.getAddress().getPort() + "/run";
    }

    String secret() {
        return secret;
    }

    private void handle(HttpExchange exchange, Device device) throws IOException {
        try (exchange) {
            String authorization = exchange.getRequestHeaders().getFirst("Authorization");
            if (!"POST".equals(exchange.getRequestMethod())) {
                answer(exchange, 405, Map.of("error", "POST the command"));
                return;
            }
            if (authorization == null || !MessageDigest.isEqual(authorization.getBytes(StandardCharsets.UTF_8),
                    ("Bearer " + secret).getBytes(StandardCharsets.UTF_8))) {
                answer(exchange, 401, Map.of("error", "wrong or missing bearer secret"));
                return;
            }
            String command = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            System.out.printf("e2e: running on %s: %s%n", device, command.length() > 120 ? command.substring(0, 120) + "…" : command);
            CommandResult result = device.exec(List.of("bash", "-c", command), Map.of(), COMMAND_TIMEOUT);
            answer(exchange, 200, Map.of("exitCode", result.exitCode(), "stdout", result.stdout(), "stderr", result.stderr()));
        }
    }

    private static void answer(HttpExchange exchange, int status, Map<String, Object> body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        exchange.getResponseHeaders().set("Content-Type", "application/json");
        exchange.sendResponseHeaders(status, bytes.length);
        exchange.getResponseBody().write(bytes);
    }

    @Override
    public void close() {
        server.stop(0);
        executor.shutdownNow();
    }
}
