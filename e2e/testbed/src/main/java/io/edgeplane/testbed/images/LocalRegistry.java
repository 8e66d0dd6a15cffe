package io.edgeplane.testbed.images;

import io.edgeplane.testbed.ManagedProcess;
import io.edgeplane.testbed.Ports;
import io.edgeplane.testbed.TestBedRun;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * A plain-HTTP OCI registry (Debian's {@code docker-registry}, i.e. distribution 2.x) with its
 * storage in the test-bed run, so that kubelets in the test bed pull images without internet.
 * Nodes must treat it as insecure (HTTP) since it has no TLS.
 */
public final class LocalRegistry implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalRegistry.class);
    static final Path BINARY = Path.of("/usr/bin/docker-registry");
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(30);
    private static final int START_ATTEMPTS = 3;

    private final String hostPort;
    private final ManagedProcess process;

    private LocalRegistry(String hostPort, ManagedProcess process) {
        this.hostPort = hostPort;
        this.process = process;
    }

    /**
     * Starts a registry on {@code bindAddress} (127.0.0.1, or the test network's host address such as
     * 10.222.0.1 so that devices reach it) and a free port, and waits until it answers.
     */
    public static LocalRegistry start(String bindAddress) {
        if (!Files.isExecutable(BINARY)) {
            throw new IllegalStateException("the local image registry needs " + BINARY
                    + ": install Debian package docker-registry");
        }
        long started = System.nanoTime();
        Path dir = TestBedRun.current().newDir("registry");
        // Ports.free() probes loopback only; a port can still be taken on another address, or
        // grabbed by someone else before the registry binds it, so a lost race is retried.
        for (int attempt = 1; ; attempt++) {
            String hostPort = bindAddress + ":" + Ports.free();
            Path config = writeConfig(dir, hostPort);
            ManagedProcess process = ManagedProcess.start("registry " + hostPort,
                    List.of(BINARY.toString(), "serve", config.toString()), dir.resolve("registry.log"), Map.of());
            LocalRegistry registry = new LocalRegistry(hostPort, process);
            if (registry.awaitReady()) {
                LOG.info("registry={} ready in {} ms, storage {}", hostPort, (System.nanoTime() - started) / 1_000_000,
                        dir.resolve("storage"));
                return registry;
            }
            String log = process.logTail(20);
            process.stop();
            if (!log.contains("address already in use") || attempt == START_ATTEMPTS) {
                throw new IllegalStateException("registry " + hostPort + " did not answer GET /v2/ within "
                        + READY_TIMEOUT.toSeconds() + " s; log " + process.log() + ":\n" + log);
            }
            LOG.warn("registry={} lost the port to another process, retrying on another port", hostPort);
        }
    }

    /** {@code host:port}, the registry part of image references, e.g. {@code 10.222.0.1:5000}. */
    public String hostPort() {
        return hostPort;
    }

    /** {@code http://host:port}, for talking the registry API directly. */
    public URI uri() {
        return URI.create("http://" + hostPort);
    }

    @Override
    public void close() {
        process.stop();
    }

    @Override
    public String toString() {
        return "registry " + hostPort;
    }

    private static Path writeConfig(Path dir, String hostPort) {
        String yaml = """
                version: 0.1
                log:
                  level: info
                  formatter: text
                storage:
                  filesystem:
                    rootdirectory: %s
                  delete:
                    enabled: true
                  maintenance:
                    uploadpurging:
                      enabled: false
                http:
                  addr: %s
                  headers:
                    X-Content-Type-Options: [nosniff]
                """.formatted(dir.resolve("storage"), hostPort);
        try {
            return Files.writeString(dir.resolve("config.yml"), yaml);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** True once {@code GET /v2/} answers 200; false if the process died or the timeout passed. */
    private boolean awaitReady() {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(uri().resolve("/v2/")).timeout(Duration.ofSeconds(2)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline && process.isAlive()) {
            try {
                if (http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return true;
                }
            } catch (IOException notYet) {
                // not listening yet
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while waiting for registry " + hostPort, e);
            }
            sleep(100);
        }
        return false;
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
