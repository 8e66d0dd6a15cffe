package io.edgeplane.e2e.fleet;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * The seed manager as operators run it, {@code java -jar seed-manager.jar} on its embedded
 * PostgreSQL, in a process of its own so that its CPU time and memory are its own: the simulated
 * devices and the benchmark live in another JVM, the control planes and PostgreSQL are its child
 * processes and are reported apart.
 */
final class SeedManagerProcess implements AutoCloseable {
    static final String ADMIN_TOKEN = "fleet-benchmark-admin-token-0123456789";
    private static final long TICKS_PER_SECOND = 100;   // USER_HZ on Linux

    private final ProcessBuilder builder;
    private final Path dir;
    private final int port;
    private final int postgresPort;
    private volatile Process process;

    private SeedManagerProcess(ProcessBuilder builder, Path dir, int port, int postgresPort) throws IOException {
        this.builder = builder;
        this.dir = dir;
        this.port = port;
        this.postgresPort = postgresPort;
        this.process = builder.start();
        // A benchmark or campaign stopped from outside (Ctrl-C, timeout) ends its seed manager too, which nothing else would:
        // its command line does not name the run directory.
        Runtime.getRuntime().addShutdownHook(new Thread(this::endEverything, "end-seed-manager"));
    }

    /** Starts the jar with its data, seed and home in {@code dir}, and waits until it is healthy. */
    static SeedManagerProcess start(Path jar, Path dir, Path kubernetesBinaries, String seedYaml, List<String> javaOptions)
            throws IOException, InterruptedException {
        Files.createDirectories(dir.resolve("home"));
        Path seed = dir.resolve("seed.yaml");
        Files.writeString(seed, seedYaml);
        int port = freePort();
        int postgresPort = freePort();
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        command.addAll(javaOptions);
        command.addAll(List.of("-jar", jar.toString()));
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("seed-manager.log").toFile()));
        builder.environment().keySet().removeIf(name -> name.startsWith("EDGEPLANE_") || name.startsWith("DATASOURCES_")
                || name.startsWith("MICRONAUT_"));
        builder.environment().putAll(Map.of(
                "HOME", dir.resolve("home").toString(),
                "MICRONAUT_SERVER_PORT", Integer.toString(port),
                "EDGEPLANE_DATA_DIR", dir.resolve("data").toString(),
                "EDGEPLANE_ADMIN_TOKEN", ADMIN_TOKEN,
                "EDGEPLANE_SEED_FILE", seed.toString(),
                "EDGEPLANE_POSTGRES_PORT", Integer.toString(postgresPort),
                "EDGEPLANE_POD_NETWORK_PORT", Integer.toString(freePort()),
                "EDGEPLANE_BINARIES_SOURCE", "directory",
                "EDGEPLANE_KUBERNETES_BINARIES_DIR", kubernetesBinaries.toString(),
                // The simulated devices' kubeconfigs last the whole run.
                "EDGEPLANE_KUBECONFIG_LIFETIME", "12h"));
        builder.environment().put("EDGEPLANE_HTTPS_PORT", Integer.toString(freePort()));
        SeedManagerProcess seedManager = new SeedManagerProcess(builder, dir, port, postgresPort);
        seedManager.awaitHealthy(Duration.ofMinutes(3));
        return seedManager;
    }

    int port() {
        return port;
    }

    long pid() {
        return process.pid();
    }

    /**
     * {@code kill -9} of the seed manager's JVM alone, as a crash or the OOM killer does it: its
     * control planes and PostgreSQL live on, orphaned, for the next start to find.
     */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            throw new IllegalStateException("the seed manager pid " + process.pid() + " survived kill -9");
        }
    }

    /** Starts it again as before (same ports, data, seed and settings) and waits until it is healthy. */
    Duration restart(Duration timeout) throws IOException, InterruptedException {
        long started = System.nanoTime();
        process = builder.start();
        awaitHealthy(timeout);
        return Duration.ofNanos(System.nanoTime() - started);
    }

    /** Stops the embedded PostgreSQL under the running seed manager, as an outage would ({@code pg_ctl stop -m fast}). */
    void stopPostgres() throws IOException, InterruptedException {
        pgCtl("stop", "-w", "-t", "60", "-m", "fast");
    }

    /** Starts it again on the same data, as an operator would after the outage. */
    void startPostgres() throws IOException, InterruptedException {
        pgCtl("start", "-w", "-t", "60", "-l", dir.resolve("data/postgres/postgres.log").toString());
    }

    private void pgCtl(String... args) throws IOException, InterruptedException {
        Path pgCtl;
        try (Stream<Path> found = Files.find(dir.resolve("data/postgres/binaries"), 3,
                (path, attributes) -> path.getFileName().toString().equals("pg_ctl"))) {
            pgCtl = found.findFirst().orElseThrow(() -> new IllegalStateException("no pg_ctl under " + dir));
        }
        Path data = dir.resolve("data/postgres/data");
        List<String> command = new ArrayList<>();
        if ("root".equals(System.getProperty("user.name"))) {
            // PostgreSQL refuses root; the seed manager runs it as the data directory's owner, and so does this.
            String owner = Files.getOwner(data).getName();
            command.addAll(List.of("setpriv", "--reuid=" + owner, "--regid=" + owner, "--init-groups", "--"));
        }
        command.addAll(List.of(pgCtl.toString(), "-D", data.toString()));
        command.addAll(List.of(args));
        Process ctl = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(dir.resolve("pg_ctl.log").toFile())).start();
        if (!ctl.waitFor(90, TimeUnit.SECONDS) || ctl.exitValue() != 0) {
            throw new IllegalStateException("pg_ctl " + String.join(" ", args) + " failed, see " + dir.resolve("pg_ctl.log"));
        }
    }

    Path log() {
        return dir.resolve("seed-manager.log");
    }

    void awaitHealthy(Duration timeout) throws InterruptedException {
        HttpClient http = HttpClient.newHttpClient();
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the seed manager exited with " + process.exitValue() + ", see " + log());
            }
            try {
                if (http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/health")).build(),
                        HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        throw new IllegalStateException("the seed manager was not healthy within " + timeout + ", see " + log());
    }

    /** CPU seconds (user + system) the seed manager's JVM has used so far; its children are not counted. */
    double cpuSeconds() {
        return cpuSeconds(process.pid());
    }

    /** CPU seconds of PostgreSQL's server processes so far. */
    double postgresCpuSeconds() {
        return postgres().mapToDouble(p -> cpuSeconds(p.pid())).sum();
    }

    /** CPU seconds of everything else the seed manager started (control planes: etcd, apiserver, ...). */
    double controlPlaneCpuSeconds() {
        List<Long> postgres = postgres().map(ProcessHandle::pid).toList();
        return process.descendants().filter(p -> !postgres.contains(p.pid())).mapToDouble(p -> cpuSeconds(p.pid())).sum();
    }

    /**
     * CPU seconds so far of every process on the machine, summed per kind: this seed manager, PostgreSQL, the benchmark itself
     * (simulated agents and the operator's calls), and any other by its executable's name (kube-apiserver, etcd, kwok, ...).
     */
    Map<String, Double> cpuSecondsByProcessKind() {
        List<Long> postgres = postgres().map(ProcessHandle::pid).toList();
        long benchmark = ProcessHandle.current().pid();
        Map<String, Double> kinds = new TreeMap<>();
        ProcessHandle.allProcesses().forEach(p -> {
            String kind = p.pid() == process.pid() ? "seed manager" : p.pid() == benchmark ? "benchmark (simulated agents)"
                    : postgres.contains(p.pid()) ? "postgres" : executableName(p.pid());
            kinds.merge(kind, cpuSeconds(p.pid()), Double::sum);
        });
        return kinds;
    }

    private static String executableName(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "comm")).strip();
        } catch (IOException gone) {
            return "gone";
        }
    }

    /** Resident memory of the seed manager's JVM in bytes. */
    long rssBytes() {
        return rssBytes(process.pid());
    }

    long controlPlaneRssBytes() {
        List<Long> postgres = postgres().map(ProcessHandle::pid).toList();
        return process.descendants().filter(p -> !postgres.contains(p.pid())).mapToLong(p -> rssBytes(p.pid())).sum();
    }

    /** The JVM's heap in use now, as its own metrics say. */
    long heapUsedBytes() {
        String text = new FleetApi(port, ADMIN_TOKEN, new Latencies()).get("/prometheus").expect(200).body();
        return (long) text.lines().filter(l -> l.startsWith("jvm_memory_used_bytes{") && l.contains("area=\"heap\""))
                .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    /** Rows and bytes (tables with their indexes and TOAST) of each of Edgeplane's tables. */
    Map<String, long[]> tableSizes() throws SQLException, IOException {
        Map<String, long[]> sizes = new TreeMap<>();
        try (Connection db = jdbc(); Statement statement = db.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rs = statement.executeQuery("SELECT relname FROM pg_stat_user_tables WHERE schemaname = 'public'")) {
                while (rs.next()) {
                    tables.add(rs.getString(1));
                }
            }
            for (String table : tables) {
                try (ResultSet rs = statement.executeQuery("SELECT count(*), pg_total_relation_size('public.\"" + table + "\"') FROM public.\"" + table + "\"")) {
                    rs.next();
                    sizes.put(table, new long[]{rs.getLong(1), rs.getLong(2)});
                }
            }
        }
        return sizes;
    }

    /** How long the longest-waiting due row of each reconciled table has waited for a worker, in seconds (0 when none waits). */
    Map<String, Double> reconcileLagSeconds() throws SQLException, IOException {
        Map<String, Double> lag = new TreeMap<>();
        try (Connection db = jdbc(); Statement statement = db.createStatement()) {
            for (String table : List.of("clusters", "machine_deployments", "workloads")) {
                try (ResultSet rs = statement.executeQuery("SELECT COALESCE(EXTRACT(EPOCH FROM now() - min(next_reconcile_at)), 0) FROM "
                        + table + " WHERE next_reconcile_at <= now() AND (lease_until IS NULL OR lease_until < now())")) {
                    rs.next();
                    lag.put(table, Math.max(0, rs.getDouble(1)));
                }
            }
        }
        return lag;
    }

    /** The rows {@code sql} returns from the seed manager's database, each column as text. */
    List<List<String>> query(String sql) throws SQLException, IOException {
        List<List<String>> rows = new ArrayList<>();
        try (Connection db = jdbc(); Statement statement = db.createStatement(); ResultSet rs = statement.executeQuery(sql)) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                List<String> row = new ArrayList<>();
                for (int c = 1; c <= columns; c++) {
                    row.add(rs.getString(c));
                }
                rows.add(row);
            }
        }
        return rows;
    }

    private Connection jdbc() throws SQLException, IOException {
        String password = Files.readString(dir.resolve("data").resolve("postgres-password")).strip();
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + postgresPort + "/edgeplane", "edgeplane", password);
    }

    /** The postmaster (pg_ctl detaches it, so it is no descendant of the seed manager's) and its workers. */
    private Stream<ProcessHandle> postgres() {
        try {
            long pid = Long.parseLong(Files.readAllLines(dir.resolve("data/postgres/data/postmaster.pid")).get(0).strip());
            return ProcessHandle.of(pid).map(p -> Stream.concat(Stream.of(p), p.descendants())).orElseGet(Stream::empty);
        } catch (IOException | RuntimeException notRunning) {
            return Stream.empty();
        }
    }

    static double cpuSeconds(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / (double) TICKS_PER_SECOND;
        } catch (IOException gone) {
            return 0;
        }
    }

    static long rssBytes(long pid) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith("VmRSS:")) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException gone) {
            return 0;
        }
        return 0;
    }

    /** Every process whose command line names this run's directory: control planes (adopted ones too) and PostgreSQL. */
    List<ProcessHandle> processesOfThisRun() {
        String marker = dir.toAbsolutePath().toString();
        return ProcessHandle.allProcesses().filter(p -> p.pid() != process.pid())
                .filter(p -> commandLine(p.pid()).contains(marker)).toList();
    }

    static String commandLine(long pid) {
        try {
            return new String(Files.readAllBytes(Path.of("/proc", Long.toString(pid), "cmdline")), java.nio.charset.StandardCharsets.UTF_8)
                    .replace('\0', ' ');
        } catch (IOException gone) {
            return "";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        process.waitFor(60, TimeUnit.SECONDS);   // then forcibly, below
        // A clean stop ends what it started; after crashes some processes were adopted, and an outage test may have left PostgreSQL
        // to itself. Nothing of the run outlives it.
        endEverything();
    }

    private void endEverything() {
        process.destroyForcibly();
        processesOfThisRun().forEach(ProcessHandle::destroyForcibly);
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
