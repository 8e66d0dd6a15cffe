package io.edgeplane.seedmanager.contract;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The contract tester from PyPI, schemathesis with every check, against a real seed manager on its
 * embedded defaults (process runtime; the test bed's Kubernetes binaries, from their directory only)
 * and the fixtures that {@code schemathesis.toml} names, which also says how the fuzzer is kept from
 * reaching outside: bounded in examples per operation and in time, zero failures. The seed is fixed so that a run can be replayed
 * ({@code -Dschemathesis.seed=N} changes it); the command line and the seed are printed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class SchemathesisIT {
    static final long SEED = Long.getLong("schemathesis.seed", 20261206L);
    static final int MAX_EXAMPLES = Integer.getInteger("schemathesis.max-examples", 10);
    private static final Duration TIME_LIMIT = Duration.ofMinutes(4);
    /** schemathesis.toml and the hooks it loads. */
    private static final Path CONFIG_DIR = Path.of("src", "test", "schemathesis").toAbsolutePath();

    @TempDir
    static Path dir;
    private LocalRegistry registry;
    private SeedManagerInstance seed;

    /** The fixtures schemathesis.toml names; the app's image is served by a registry on loopback. */
    @BeforeAll
    void start() throws Exception {
        registry = LocalRegistry.start("127.0.0.1");
        String image = TestImages.helloHttp(registry);
        Path data = dir.resolve("data");
        Path seedFile = SeedManagerInstance.exampleSeed(data);
        String yaml = Files.readString(seedFile);
        String insecure = "        insecureRegistries:\n          - registry.plant-2.example.com:5000\n";
        assertThat(yaml).contains(insecure);
        Files.writeString(seedFile, yaml.replace(insecure, insecure + "          - " + registry.hostPort() + "\n"));
        Path binaries = KubernetesBinaries.ensure().dir().getParent().getParent();
        seed = SeedManagerInstance.start(data, Map.of("edgeplane.kubernetes.binaries-dir", binaries.toString(),
                "edgeplane.projects.default-cluster-quota", 0));
        String arch = System.getProperty("os.arch").contains("aarch64") ? "arm64" : "amd64";
        created(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\",\"quota\":{\"clusters\":2}}"));
        created(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"spare\"}"));
        created(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"retired\"}"));
        created(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"factory-bremen\"}"));
        awaitRunning("/api/v1/projects/acme/clusters/line");
        created(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters/line/machinedeployments",
                "{\"name\":\"edge-1\",\"os\":\"ubuntu-24.04\",\"arch\":\"" + arch + "\"}"));
        created(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/apps", """
                {"name":"hello","version":"1","title":"Hello",
                 "containers":[{"name":"web","image":"%s","env":{"PORT":"8080"},
                                "ports":[{"name":"http","containerPort":8080,"hostPort":18080,"protocol":"TCP"}]}],
                 "defaultConfiguration":{"greeting":"hello"},
                 "configurationSchema":{"type":"object","properties":{"greeting":{"type":"string"}}}}""".formatted(image)));
        created(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters/line/workloads",
                "{\"name\":\"web\",\"app\":\"hello\",\"version\":\"1\",\"nodes\":[\"edge-1\"]}"));
    }

    @AfterAll
    void stop() {
        if (seed != null) {
            seed.close();
        }
        ControlPlaneProcesses.killUnder(dir.resolve("data"));
        if (registry != null) {
            registry.close();
        }
    }

    @Test
    void theServedDocumentHoldsForEveryFuzzedRequest() throws Exception {
        String base = "http://127.0.0.1:" + seed.port();
        List<String> command = new ArrayList<>(List.of("st", "--config-file", CONFIG_DIR.resolve("schemathesis.toml").toString(),
                "run", base + "/openapi/edgeplane-seed-manager-v1.yml", "--url", base,
                "--checks", "all", "--max-examples", Integer.toString(MAX_EXAMPLES), "--seed", Long.toString(SEED),
                "--workers", "1", "--no-color", "--report", "junit,ndjson", "--report-dir", ContractTools.reportDir("schemathesis").toString()));
        System.out.println("schemathesis: seed " + SEED + "; replay with -Dschemathesis.seed=" + SEED
                + " (or by hand against a seed manager with these fixtures: EDGEPLANE_TOKEN=<admin token> EDGEPLANE_SCHEMATHESIS_DIR=" + CONFIG_DIR
                + " bootstrap-scripts/install-contract-tools.sh " + String.join(" ", command.subList(1, command.size())) + ")");
        ContractTools.Result result = ContractTools.run(command, Map.of("EDGEPLANE_TOKEN", ADMIN_TOKEN,
                "EDGEPLANE_SCHEMATHESIS_DIR", CONFIG_DIR.toString()), TIME_LIMIT);
        String summary = summary(result);
        System.out.println("schemathesis: " + summary);
        assertConfined();
        assertThat(result.exitCode()).as("schemathesis failed (seed %d): %s; the whole output is in %s", SEED, summary, result.log())
                .isZero();
    }

    /** What hooks.py and the quotas promise, seen in the seed manager's own records. */
    private void assertConfined() throws SQLException {
        try (Connection connection = seed.jdbc(); Statement statement = connection.createStatement()) {
            try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM audit_events"
                    + " WHERE action ~ '^POST /api/v1/projects/[^/]+/clusters$' AND result = '202'")) {
                rows.next();
                assertThat(rows.getInt(1)).as("clusters accepted, the fixture's included").isLessThanOrEqualTo(2);
            }
            try (ResultSet rows = statement.executeQuery("SELECT name, ssh FROM machine_deployments WHERE ssh IS NOT NULL")) {
                while (rows.next()) {
                    assertThat(rows.getString(2)).as("SSH target of %s", rows.getString(1)).contains("\"host\":\"127.0.0.1\"");
                }
            }
        }
    }

    /** "42 operations tested, 289 cases generated: 0 failures in 24.03s" from schemathesis' closing lines. */
    static String summary(ContractTools.Result result) {
        String operations = "?";
        String cases = "?";
        List<String> lines = result.lines();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.startsWith("Tested:")) {
                operations = line.substring("Tested:".length()).strip();
            } else if (line.equals("Test cases:") && i + 1 < lines.size()) {
                cases = lines.get(i + 1).strip().split(" generated", 2)[0];
            }
        }
        String closing = result.lastLine().replaceAll("^=+\\s*|\\s*=+$", "");
        return operations + " operations tested, " + cases + " cases generated: " + closing + " (exit " + result.exitCode() + ")";
    }

    private void awaitRunning(String cluster) throws InterruptedException {
        long deadline = System.nanoTime() + Duration.ofMinutes(3).toNanos();
        Reply reply = seed.get(ADMIN_TOKEN, cluster);
        while (!"Running".equals(reply.json().path("phase").asText())) {
            assertThat(System.nanoTime()).as("cluster Running: %s", reply).isLessThan(deadline);
            Thread.sleep(500);
            reply = seed.get(ADMIN_TOKEN, cluster);
        }
    }

    private static void created(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isBetween(200, 202);
    }
}
