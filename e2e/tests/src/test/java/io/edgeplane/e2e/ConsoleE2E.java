package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The web console in a real browser (Playwright's library driving Debian's headless Chromium) against
 * a real seed manager, a process-runtime cluster and a test-bed device: an admin signs in, creates the
 * cluster and sees it reach Running, registers the device, copies its provisioning command and runs it
 * on the device (through {@link DeviceShell}), sees the device Ready, registers an app whose
 * description holds a script tag (shown as text), deploys it staged, follows the per-image progress,
 * applies, stops and undeploys it, all without reloading. A viewer sees no mutating control and gets
 * the API's 403 when it tries anyway. The main pages' screenshots land in target/console-screenshots,
 * and with {@code -Dscreenshots.update=true} also in seed-manager/console/screenshots (the README's).
 */
class ConsoleE2E {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration FLOW = Duration.ofMinutes(15);
    private static final String DEVICE = "edge-1";
    private static final int HELLO_PORT = 18080;

    @TempDir
    Path dir;

    @AfterEach
    void killLeftoverComponents() {
        Clusters.killComponentsOf(dir.resolve("data"));
    }

    @Test
    void anOperatorRunsAClusterADeviceAndAWorkloadFromTheConsole() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        Path repository = Path.of(System.getProperty("repositoryRoot"));
        Path screenshots = Path.of("target", "console-screenshots").toAbsolutePath();
        String host = TestNetwork.current().hostAddress();
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            String hello = TestImages.helloHttp(registry);
            Path data = dir.resolve("data");
            Files.writeString(SeedManagerInstance.exampleSeed(data), EdgeDevices.seed(host, registry.hostPort(), TestImages.pause(registry)));
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of(
                    "edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()));
                 Device edge = Device.create(DEVICE);
                 DeviceShell shell = DeviceShell.start(edge)) {
                EdgeDevices.sharesTheHostKernel(edge);
                // Projects and tokens are the admin's API business; the console works inside a project.
                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);
                Reply viewer = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/tokens", "{\"role\":\"viewer\",\"description\":\"console e2e\"}");
                assertThat(viewer.status()).as(viewer.toString()).isEqualTo(201);

                Map<String, String> settings = new HashMap<>();
                settings.put("CONSOLE_URL", seed.baseUrl() + "/console/");
                settings.put("ADMIN_TOKEN", ADMIN_TOKEN);
                settings.put("VIEWER_TOKEN", viewer.json().path("token").asText());
                settings.put("PROJECT", "acme");
                settings.put("CLUSTER", "line");
                settings.put("DEVICE", DEVICE);
                settings.put("DEVICE_ARCH", EdgeDevices.arch());
                settings.put("APP_JSON", appWithScriptInDescription(hello));
                settings.put("DEVICE_SHELL_URL", shell.url());
                settings.put("DEVICE_SHELL_SECRET", shell.secret());
                settings.put("SCREENSHOTS_DIR", screenshots.toString());
                deleteScreenshots(screenshots);
                long started = System.nanoTime();
                BrowserFlow.run(repository, Path.of("target", "console-browser").toAbsolutePath(), settings, FLOW);
                System.out.printf("e2e: the console's browser flow done in %d ms%n", (System.nanoTime() - started) / 1_000_000);

                // What the browser saw is what the API says.
                String cluster = "/api/v1/projects/acme/clusters/line";
                assertThat(seed.get(ADMIN_TOKEN, cluster).json().path("phase").asText()).isEqualTo("Running");
                assertThat(seed.get(ADMIN_TOKEN, cluster + "/machinedeployments/" + DEVICE).json().path("phase").asText()).isEqualTo("Ready");
                Clusters.awaitGone(seed, cluster + "/workloads/hello", Duration.ofMinutes(2));
                assertThat(screenshotsIn(screenshots)).contains("clusters.png", "cluster.png", "devices.png", "device.png", "apps.png",
                        "workloads.png", "workload.png");
                if (Boolean.getBoolean("screenshots.update")) {
                    copyScreenshots(screenshots, repository.resolve("seed-manager/console/screenshots"));
                }

                assertThat(seed.delete(ADMIN_TOKEN, cluster).status()).isEqualTo(202);
                Clusters.awaitGone(seed, cluster, Duration.ofMinutes(2));
            }
        }
    }

    /** The test app (one container serving HTTP on the device's port) with markup in its description. */
    private static String appWithScriptInDescription(String image) throws IOException {
        ObjectNode app = (ObjectNode) JSON.readTree(WorkloadApi.appBody("hello", "1", image, HELLO_PORT));
        app.put("description", "Answers GET / <script>window.pwned = true</script> with its host name");
        return app.toString();
    }

    private static List<String> screenshotsIn(Path dir) throws IOException {
        try (Stream<Path> files = Files.list(dir)) {
            return files.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".png")).sorted().toList();
        }
    }

    /** A previous run's pictures must not stand in for this run's. */
    private static void deleteScreenshots(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            for (String name : screenshotsIn(dir)) {
                Files.delete(dir.resolve(name));
            }
        }
    }

    private static void copyScreenshots(Path from, Path to) throws IOException {
        Files.createDirectories(to);
        for (String name : screenshotsIn(from)) {
            if (!name.startsWith("failure-")) {
                Files.copy(from.resolve(name), to.resolve(name), StandardCopyOption.REPLACE_EXISTING);
            }
        }
        System.out.printf("e2e: screenshots copied to %s%n", to);
    }
}
