package io.edgeplane.testbed.images;

import io.edgeplane.testbed.ManagedProcess;
import io.edgeplane.testbed.Ports;
import io.edgeplane.testbed.TestBedRun;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The test images' programs, run directly on the host: what the containers will do, minus the container. */
class TestImageBinariesIT {
    private final HttpClient http = HttpClient.newHttpClient();

    @Test
    void helloHttpSaysWhoAnsweredAndStopsOnSigterm() throws Exception {
        long started = System.nanoTime();
        Path binary = TestImages.helloHttpBinary();
        System.out.printf("testbed: hello-http binary ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);

        int port = Ports.free();
        ManagedProcess server = ManagedProcess.start("hello-http :" + port, List.of(binary.toString()),
                TestBedRun.current().newDir("hello-http").resolve("hello-http.log"),
                Map.of("PORT", Integer.toString(port), "GREETING", "bonjour"));
        URI base = URI.create("http://127.0.0.1:" + port);

        HttpResponse<String> hello = getWhenListening(base.resolve("/"));
        assertThat(hello.statusCode()).isEqualTo(200);
        assertThat(hello.body()).isEqualTo("hello from " + InetAddress.getLocalHost().getHostName() + ": bonjour\n");
        assertThat(get(base.resolve("/healthz")).statusCode()).isEqualTo(200);
        assertThat(get(base.resolve("/nope")).statusCode()).isEqualTo(404);

        server.stop();
        assertThat(server.logTail(10)).contains("GET /healthz").contains("hello-http stopped");
    }

    @Test
    void pauseExitsZeroOnSigterm() throws Exception {
        Process pause = new ProcessBuilder(TestImages.pauseBinary().toString()).redirectErrorStream(true).start();
        try {
            assertThat(pause.waitFor(300, TimeUnit.MILLISECONDS)).as("pause blocks until signalled").isFalse();
            pause.destroy(); // SIGTERM
            assertThat(pause.waitFor(10, TimeUnit.SECONDS)).isTrue();
            assertThat(pause.exitValue()).isZero();
        } finally {
            pause.destroyForcibly();
        }
    }

    private HttpResponse<String> getWhenListening(URI uri) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (true) {
            try {
                return get(uri);
            } catch (ConnectException notYet) {
                if (System.nanoTime() > deadline) {
                    throw notYet;
                }
                Thread.sleep(50);
            }
        }
    }

    private HttpResponse<String> get(URI uri) throws Exception {
        return http.send(HttpRequest.newBuilder(uri).GET().build(), HttpResponse.BodyHandlers.ofString());
    }
}
