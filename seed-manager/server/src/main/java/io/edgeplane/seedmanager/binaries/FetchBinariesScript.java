package io.edgeplane.seedmanager.binaries;

import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayDeque;
import java.util.Comparator;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Runs bootstrap-scripts/fetch-binaries.sh (packaged in the jar), the same script operators and the
 * test bed run, so there is one implementation of the release download (checksums verified) and of
 * the Go build. Its progress lines become {@link BinariesFetcher.Progress}; its whole output is kept
 * in {@code <binaries dir>/<version>/.linux-<arch>.log}.
 */
@Singleton
public class FetchBinariesScript implements BinariesFetcher {
    private static final Logger LOG = LoggerFactory.getLogger(FetchBinariesScript.class);
    private static final String RESOURCES = "edgeplane/bootstrap-scripts/";
    private static final List<String> FILES = List.of("fetch-binaries.sh", "lib/lib.sh", "versions.env");
    /** {@code 12:00:00 [edgeplane] message}, as lib.sh's info/warn/fatal print it. */
    private static final Pattern LINE = Pattern.compile("^\\d\\d:\\d\\d:\\d\\d \\[edgeplane] (.*)$");
    private static final Pattern SOURCE = Pattern.compile("^source: (\\S+).*");
    private static final int TAIL = 15;

    private final BinariesSettings settings;

    public FetchBinariesScript(BinariesSettings settings) {
        this.settings = settings;
    }

    @Override
    public void fetch(BinariesDirectory directory, Platform platform, Consumer<Progress> progress)
            throws BinariesFetchException, InterruptedException {
        if (BinariesSettings.DIRECTORY.equals(settings.source())) {
            throw new BinariesFetchException(directory.dir(platform) + " does not hold " + String.join(", ", platform.components())
                    + " with a SHA256SUMS that matches, and EDGEPLANE_BINARIES_SOURCE=directory fetches nothing: fill it with"
                    + " bootstrap-scripts/fetch-binaries.sh (EDGEPLANE_BINARIES_DIR=" + directory.root() + ") or copy a prepared"
                    + " directory there");
        }
        Path scripts = extractScripts();
        Path log = directory.root().resolve(platform.version()).resolve("." + platform.name() + ".log");
        Process process = null;
        try {
            Files.createDirectories(log.getParent());
            ProcessBuilder builder = new ProcessBuilder("bash", scripts.resolve("fetch-binaries.sh").toString())
                    .redirectErrorStream(true);
            environment(builder.environment(), directory, platform);
            process = builder.start();
            process.getOutputStream().close();
            // Read on another thread, so that this one waits interruptibly: stopping the seed manager stops the fetch.
            OutputFollower follower = new OutputFollower(process.getInputStream(), log, progress);
            follower.start();
            int exit = process.waitFor();
            follower.join(TimeUnit.SECONDS.toMillis(10));
            if (exit != 0) {
                String error = follower.error();
                throw new BinariesFetchException((error != null ? error : "fetch-binaries.sh exited with " + exit)
                        + " (full output: " + log + ")");
            }
        } catch (IOException e) {
            throw new BinariesFetchException("cannot run fetch-binaries.sh: " + e.getMessage());
        } finally {
            if (process != null && process.isAlive()) {
                stop(process);
            }
            deleteTree(scripts);
        }
    }

    private void environment(Map<String, String> env, BinariesDirectory directory, Platform platform) {
        env.put("EDGEPLANE_BINARIES_DIR", directory.root().toString());
        env.put("EDGEPLANE_BINARIES_SOURCE", settings.source());
        env.put("EDGEPLANE_ARCH", platform.arch());
        env.put("KUBERNETES_VERSION", platform.version());
        env.put("EDGEPLANE_BINARIES_COMPONENTS", String.join(" ", platform.components()));
        env.put("EDGEPLANE_K8S_RELEASE_URL", settings.releaseUrl());
        env.put("EDGEPLANE_ETCD_RELEASE_URL", settings.etcdReleaseUrl());
        if (settings.caFile() != null) {
            env.put("EDGEPLANE_DOWNLOAD_CA_FILE", settings.caFile().toAbsolutePath().toString());
        } else {
            env.remove("EDGEPLANE_DOWNLOAD_CA_FILE");
        }
        // The Go build keeps its caches under HOME; a service manager may start the seed manager without one.
        env.putIfAbsent("HOME", System.getProperty("user.home"));
    }

    /** Copies every line to the log and reports progress lines; remembers the script's last error message. */
    private static final class OutputFollower extends Thread {
        private final InputStream output;
        private final Path log;
        private final Consumer<Progress> progress;
        private volatile String error;

        OutputFollower(InputStream output, Path log, Consumer<Progress> progress) {
            super("fetch-binaries-output");
            setDaemon(true);
            this.output = output;
            this.log = log;
            this.progress = progress;
        }

        String error() {
            return error;
        }

        @Override
        public void run() {
            Deque<String> tail = new ArrayDeque<>();
            String lastError = null;
            try (BufferedReader lines = new BufferedReader(new InputStreamReader(output, StandardCharsets.UTF_8));
                 Writer file = Files.newBufferedWriter(log, StandardCharsets.UTF_8)) {
                for (String line; (line = lines.readLine()) != null; ) {
                    file.write(line);
                    file.write('\n');
                    file.flush();
                    Matcher message = LINE.matcher(line);
                    if (!message.matches()) {
                        tail.addLast(line);
                        if (tail.size() > TAIL) {
                            tail.removeFirst();
                        }
                        continue;
                    }
                    String text = message.group(1);
                    if (text.startsWith("ERROR: ")) {
                        lastError = text.substring("ERROR: ".length());
                    } else if (!text.startsWith("WARNING: ")) {
                        Matcher source = SOURCE.matcher(text);
                        progress.accept(new Progress(source.matches() ? source.group(1) : null, text));
                    }
                }
            } catch (IOException e) {
                LOG.debug("fetch-binaries.sh output: {}", e.toString());
            }
            if (lastError != null && !tail.isEmpty()) {
                lastError += "; last output: " + String.join(" | ", tail);
            }
            error = lastError;
        }
    }

    /** The script and everything it started (curl, go and the compilers), youngest first. */
    private static void stop(Process process) throws InterruptedException {
        List<ProcessHandle> tree = process.descendants().toList();
        tree.forEach(ProcessHandle::destroyForcibly);
        process.destroyForcibly();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            LOG.warn("fetch-binaries.sh pid={} did not stop within 10 s", process.pid());
        }
    }

    private static Path extractScripts() {
        try {
            Path dir = Files.createTempDirectory("edgeplane-fetch-binaries-");
            for (String name : FILES) {
                Path target = dir.resolve(name);
                Files.createDirectories(target.getParent());
                try (InputStream in = FetchBinariesScript.class.getClassLoader().getResourceAsStream(RESOURCES + name)) {
                    if (in == null) {
                        throw new IllegalStateException(RESOURCES + name + " is not in the seed manager's jar");
                    }
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
            }
            return dir;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot extract fetch-binaries.sh", e);
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            walk.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            LOG.debug("cannot remove {}: {}", dir, e.toString());
        }
    }
}
