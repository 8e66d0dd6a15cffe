package io.edgeplane.e2e;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.TestBedRun;
import io.edgeplane.testbed.conformance.ConformanceBinaries;
import io.edgeplane.testbed.conformance.ConformanceImages;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.Site;
import io.edgeplane.testbed.device.Subnet;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.LocalDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;

/**
 * The Kubernetes conformance tests about Services, cluster DNS, the {@code kubernetes} Service and
 * admission webhooks, against a tenant cluster of two devices behind NAT (not a JUnit test: it
 * needs half an hour; run on demand, from the repository root, like the benchmarks):
 * <pre>
 * mvn -B -q -pl e2e/tests -am install -DskipTests
 * mvn -B -q -pl e2e/tests exec:java -Dexec.classpathScope=test -Dexec.mainClass=io.edgeplane.e2e.ConformanceRun
 * </pre>
 * It builds (once, then cached) {@code e2e.test} and agnhost from the pinned {@code k8s.io/kubernetes}
 * module (e2e/testbed/conformance/build-conformance.sh), starts the seed manager and a process-runtime
 * cluster, provisions two NAT'd devices with the same private address by their fetched scripts (as
 * {@code TunnelE2E}), pushes the test images to the test registry under the names e2e.test asks for,
 * runs e2e.test with {@code --provider=skeleton} and prints ran / passed / failed / skipped, the failed
 * tests and where the JUnit report is. Exits 0 when nothing failed, 1 when a test failed, 2 on a bad
 * option, 3 when the run did not get to the tests or overran its bound.
 * <p>
 * System properties (all optional, validated): {@code conformance.focus} and {@code conformance.skip}
 * (ginkgo regular expressions replacing {@link #FOCUS} and {@link #SKIP}), {@code conformance.timeoutMinutes}
 * (ginkgo's timeout, 5..180, default 40; the whole run stops itself {@link #SETUP_BOUND} later), and
 * {@code conformance.reportDir} (default a new directory under /tmp).
 */
public final class ConformanceRun {
    /** The conformance tests of what devices get from the cluster (Services, DNS, the apiserver in-cluster, webhooks). */
    static final String FOCUS = "\\[sig-network\\] (Services|DNS|API Server|EndpointSlice|EndpointSliceMirroring) .*\\[Conformance\\]"
            + "|\\[sig-api-machinery\\] AdmissionWebhook .*\\[Conformance\\]"
            + "|\\[sig-auth\\] ServiceAccounts ServiceAccountIssuerDiscovery .*\\[Conformance\\]";
    /**
     * Tests that disrupt the cluster or must run alone, and those needing an image the test bed does not
     * build (see ConformanceImages): EndpointSlice's "for Pods matching a Service" runs nginx.
     */
    static final String SKIP = "\\[Serial\\]|\\[Disruptive\\]|\\[Slow\\]|\\[Flaky\\]|\\[Feature:"
            + "|EndpointSlice should create Endpoints and EndpointSlices for Pods matching a Service";
    private static final Duration JOIN = Duration.ofMinutes(4);
    /** Everything but the tests: building (cached), the cluster, two devices, the images, the report. */
    static final Duration SETUP_BOUND = Duration.ofMinutes(30);
    private static final Pattern GINKGO_SUMMARY = Pattern.compile(
            "Ran (\\d+) of (\\d+) Specs? in .*|(\\d+) Passed \\| (\\d+) Failed \\| (\\d+) Pending \\| (\\d+) Skipped");

    private ConformanceRun() {
    }

    record Options(String focus, String skip, int timeoutMinutes, Path reportDir) {
        static Options fromSystemProperties() throws IOException {
            String focus = regex("conformance.focus", FOCUS);
            String skip = regex("conformance.skip", SKIP);
            String minutes = System.getProperty("conformance.timeoutMinutes", "40").strip();
            int timeout;
            try {
                timeout = Integer.parseInt(minutes);
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("conformance.timeoutMinutes: not a whole number of minutes: '" + minutes + "'");
            }
            if (timeout < 5 || timeout > 180) {
                throw new IllegalArgumentException("conformance.timeoutMinutes: must be 5..180, not " + timeout);
            }
            String dir = System.getProperty("conformance.reportDir", "").strip();
            Path reportDir;
            if (dir.isEmpty()) {
                reportDir = Files.createTempDirectory("edgeplane-conformance-"
                        + LocalDateTime.now().format(DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss")) + "-");
            } else {
                reportDir = Path.of(dir).toAbsolutePath();
                if (Files.exists(reportDir) && (!Files.isDirectory(reportDir) || !isEmpty(reportDir))) {
                    throw new IllegalArgumentException("conformance.reportDir: " + reportDir + " exists and is not an empty directory");
                }
                Files.createDirectories(reportDir);
            }
            return new Options(focus, skip, timeout, reportDir);
        }

        private static String regex(String property, String fallback) {
            String value = System.getProperty(property, fallback);
            if (value.isBlank()) {
                throw new IllegalArgumentException(property + ": must not be blank");
            }
            try {
                Pattern.compile(value);
            } catch (PatternSyntaxException e) {
                throw new IllegalArgumentException(property + ": not a regular expression: " + e.getMessage());
            }
            return value;
        }

        private static boolean isEmpty(Path dir) throws IOException {
            try (Stream<Path> entries = Files.list(dir)) {
                return entries.findAny().isEmpty();
            }
        }
    }

    public static void main(String[] args) throws Exception {
        if (args.length > 0) {
            System.err.println("ConformanceRun takes no arguments, only system properties (see its javadoc): " + List.of(args));
            System.exit(2);
        }
        Options options;
        try {
            options = Options.fromSystemProperties();
        } catch (IllegalArgumentException e) {
            System.err.println("ConformanceRun: " + e.getMessage());
            System.exit(2);
            return;
        }
        int status = 3;
        Thread watchdog = watchdog(Duration.ofMinutes(options.timeoutMinutes()).plus(SETUP_BOUND));
        Path work = Files.createTempDirectory("edgeplane-conformance-work-");
        Path data = work.resolve("data");
        // Stopped (SIGTERM, the watchdog) before the finally below: e2e.test and the cluster's components
        // are no test-bed processes, so the test bed's own hook leaves them.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            ProcessHandle.current().children().filter(child -> child.info().command().orElse("").endsWith("e2e.test"))
                    .forEach(ProcessHandle::destroyForcibly);
            Clusters.killComponentsOf(data);
        }, "conformance-cleanup"));
        try {
            status = run(options, work, data);
        } finally {
            watchdog.interrupt();
            Clusters.killComponentsOf(data);
            TestBedRun.current().close();
            deleteTree(work);
        }
        System.exit(status);
    }

    private static int run(Options options, Path work, Path data) throws Exception {
        long started = System.nanoTime();
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        ConformanceBinaries conformance = ConformanceBinaries.ensure();
        System.out.printf("conformance: binaries ready in %d s (%s)%n", secondsSince(started), conformance.dir());
        String host = TestNetwork.current().hostAddress();
        Subnet lan = Subnet.parse("192.168.60.0/24");
        try (LocalRegistry registry = LocalRegistry.start(host)) {
            Path repoList = ConformanceImages.push(registry, conformance, work);
            Files.writeString(SeedManagerInstance.exampleSeed(data), EdgeDevices.seed(host, registry.hostPort(), TestImages.pause(registry)));
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, Map.of(
                    "edgeplane.kubernetes.binaries-dir", binaries.dir().getParent().getParent().toString()));
                 Site siteA = Site.create("site-a", lan);
                 Site siteB = Site.create("site-b", lan)) {
                List<Device> devices = List.of(Device.create("edge-a", siteA), Device.create("edge-b", siteB));
                Path kubeconfig = work.resolve("tenant.kubeconfig");
                tenantCluster(seed, devices, kubeconfig);
                System.out.printf("conformance: cluster with two NAT'd devices ready in %d s; running e2e.test (ginkgo timeout %d min),"
                        + " log %s%n", secondsSince(started), options.timeoutMinutes(), options.reportDir().resolve("e2e.log"));
                long tests = System.nanoTime();
                Summary summary = runTests(options, conformance, binaries, kubeconfig, repoList);
                summary.print(options.reportDir(), secondsSince(tests));
                return summary.failed().isEmpty() && summary.ran() > 0 ? 0 : 1;
            }
        }
    }

    /** A process-runtime cluster, two NAT'd devices provisioned by their fetched scripts, both Ready with their tunnels up. */
    private static void tenantCluster(SeedManagerInstance seed, List<Device> devices, Path kubeconfig) throws Exception {
        expect(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"conformance\"}"), 201);
        String cluster = "/api/v1/projects/conformance/clusters/sonobuoy";
        expect(seed.post(ADMIN_TOKEN, "/api/v1/projects/conformance/clusters",
                "{\"name\":\"sonobuoy\",\"datacenter\":\"lab\",\"nodeHealth\":{\"gracePeriodSeconds\":20}}"), 202);
        Clusters.awaitPhase(seed, cluster, "Running", Duration.ofMinutes(2));
        String machines = cluster + "/machinedeployments";
        for (Device device : devices) {
            EdgeDevices.sharesTheHostKernel(device);
            CommandResult provisioned = EdgeDevices.provisionByHand(seed, machines, device);
            if (provisioned.exitCode() != 0) {
                throw new IllegalStateException("provisioning " + device.name() + " failed: " + provisioned.stdout() + provisioned.stderr());
            }
        }
        for (Device device : devices) {
            Clusters.awaitPhase(seed, machines + "/" + device.name(), "Ready", JOIN);
            TunnelE2E.await(seed, machines + "/" + device.name(), "its tunnel up",
                    m -> m.path("tunnel").path("state").asText().equals("connected"));
        }
        Files.writeString(kubeconfig, seed.get(ADMIN_TOKEN, cluster + "/kubeconfig").body());
    }

    private static Summary runTests(Options options, ConformanceBinaries conformance, KubernetesBinaries binaries, Path kubeconfig,
                                    Path repoList) throws Exception {
        List<String> command = List.of(conformance.e2eTest().toString(),
                "--provider=skeleton",
                "--kubeconfig=" + kubeconfig,
                "--kubectl-path=" + binaries.binary("kubectl"),
                "--num-nodes=2",
                "--report-dir=" + options.reportDir(),
                "--ginkgo.focus=" + options.focus(),
                "--ginkgo.skip=" + options.skip(),
                "--ginkgo.timeout=" + options.timeoutMinutes() + "m",
                "--ginkgo.no-color",
                "--ginkgo.v");
        Path log = options.reportDir().resolve("e2e.log");
        Files.writeString(options.reportDir().resolve("command.txt"), String.join(" \\\n  ", command) + "\n");
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(options.reportDir().toFile());
        builder.environment().put("KUBE_TEST_REPO_LIST", repoList.toString());
        builder.environment().put("KUBECONFIG", kubeconfig.toString());
        Process process = builder.start();
        List<String> summaryLines = new ArrayList<>();
        Thread copier = new Thread(() -> copyOutput(process, log, summaryLines), "e2e-test-output");
        copier.setDaemon(true);
        copier.start();
        // ginkgo stops at its own timeout and writes its report; a hung process gets 5 more minutes.
        if (!process.waitFor(options.timeoutMinutes() + 5L, TimeUnit.MINUTES)) {
            System.out.println("conformance: e2e.test overran its timeout by 5 minutes; stopping it");
            process.destroy();
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
        copier.join(TimeUnit.SECONDS.toMillis(30));
        return Summary.read(options.reportDir(), summaryLines, process.exitValue());
    }

    /** e2e.test's output into the log, and its progress lines (one per finished spec) to stdout. */
    private static void copyOutput(Process process, Path log, List<String> summaryLines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8), true)) {
            for (String line = in.readLine(); line != null; line = in.readLine()) {
                out.println(line);
                String trimmed = line.strip();
                if (trimmed.startsWith("• [FAILED]") || trimmed.startsWith("• [PANICKED]") || trimmed.startsWith("• [TIMEDOUT]")
                        || trimmed.startsWith("S [SKIPPED]") || trimmed.startsWith("Ran ") || GINKGO_SUMMARY.matcher(trimmed).find()) {
                    System.out.println("e2e.test: " + trimmed);
                    synchronized (summaryLines) {
                        summaryLines.add(trimmed);
                    }
                }
            }
        } catch (IOException e) {
            System.out.println("conformance: reading e2e.test's output: " + e);
        }
    }

    /**
     * What the run gave, from the JUnit report e2e.test writes. Every spec of the suite is in it: those
     * the focus and skip patterns left out are "skipped" with the bare message {@code skipped}; a spec
     * that ran and skipped itself says why ({@code skipped - <reason>}). Suite-level nodes count only
     * when they failed.
     */
    record Summary(int ran, int passed, List<String> failed, List<String> skippedInRun, int notSelected, String ginkgoLine,
                   int exitCode, Path junit) {
        private static final String SPEC = "[It] ";

        static Summary read(Path reportDir, List<String> lines, int exitCode) throws Exception {
            Path junit = reportDir.resolve("junit_01.xml");
            String ginkgoLine = lines.stream().filter(l -> GINKGO_SUMMARY.matcher(l).find()).reduce((a, b) -> a + " " + b).orElse("none");
            if (!Files.isRegularFile(junit)) {
                return new Summary(0, 0, List.of("(no JUnit report: see e2e.log)"), List.of(), 0, ginkgoLine, exitCode, junit);
            }
            NodeList cases = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(junit.toFile()).getElementsByTagName("testcase");
            int passed = 0;
            int notSelected = 0;
            List<String> failed = new ArrayList<>();
            List<String> skippedInRun = new ArrayList<>();
            for (int i = 0; i < cases.getLength(); i++) {
                Element testcase = (Element) cases.item(i);
                String name = testcase.getAttribute("name");
                boolean spec = name.startsWith(SPEC);
                name = spec ? name.substring(SPEC.length()) : name;
                NodeList skipped = testcase.getElementsByTagName("skipped");
                NodeList failure = testcase.getElementsByTagName("failure");
                if (failure.getLength() == 0) {
                    failure = testcase.getElementsByTagName("error");
                }
                if (failure.getLength() > 0) {
                    Element cause = (Element) failure.item(0);
                    // ginkgo leaves the attribute empty and writes the failure as the element's text
                    String message = cause.getAttribute("message").isBlank() ? cause.getTextContent() : cause.getAttribute("message");
                    failed.add(name + "\n    " + firstLine(message.replaceFirst("^\\s*\\[FAILED\\]\\s*", "")));
                } else if (!spec) {
                    continue;
                } else if (skipped.getLength() > 0) {
                    String message = ((Element) skipped.item(0)).getAttribute("message");
                    if (message.equals("skipped")) {
                        notSelected++;
                    } else {
                        skippedInRun.add(name + " (" + message + ")");
                    }
                } else {
                    passed++;
                }
            }
            return new Summary(passed + failed.size(), passed, failed, skippedInRun, notSelected, ginkgoLine, exitCode, junit);
        }

        private static String firstLine(String message) {
            String line = message.strip().lines().findFirst().orElse("(no message)");
            return line.length() > 300 ? line.substring(0, 300) + "..." : line;
        }

        void print(Path reportDir, long seconds) {
            System.out.println("=== conformance summary (Services, DNS, the kubernetes Service, admission webhooks; two NAT'd devices) ===");
            System.out.printf("ran %d, passed %d, failed %d, skipped %d; %d specs of the suite not selected; e2e.test exit %d after %d s%n",
                    ran, passed, failed.size(), skippedInRun.size(), notSelected, exitCode, seconds);
            System.out.println("ginkgo: " + ginkgoLine);
            failed.forEach(name -> System.out.println("FAILED: " + name));
            skippedInRun.forEach(name -> System.out.println("SKIPPED: " + name));
            System.out.println("JUnit report: " + junit + "; full log: " + reportDir.resolve("e2e.log"));
        }
    }

    /** Ends the JVM (its shutdown hooks stop the test bed's processes) when the run overruns its bound. */
    private static Thread watchdog(Duration bound) {
        Thread watchdog = new Thread(() -> {
            try {
                Thread.sleep(bound.toMillis());
                System.out.println("conformance: the run overran its bound of " + bound.toMinutes() + " minutes; stopping");
                System.exit(3);
            } catch (InterruptedException finished) {
                // the run ended in time
            }
        }, "conformance-watchdog");
        watchdog.setDaemon(true);
        watchdog.start();
        return watchdog;
    }

    private static void expect(Reply reply, int status) {
        if (reply.status() != status) {
            throw new IllegalStateException("expected HTTP " + status + ": " + reply);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(path);
            }
        }
    }

    private static long secondsSince(long started) {
        return (System.nanoTime() - started) / 1_000_000_000;
    }
}
