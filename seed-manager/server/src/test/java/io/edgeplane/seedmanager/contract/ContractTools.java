package io.edgeplane.seedmanager.contract;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * The contract checks' tools as bootstrap-scripts/install-contract-tools.sh installs and runs them
 * (the path comes from the build: system property {@code contractTools}). Output goes to the test's
 * stdout and to a log file under {@code target/contract}.
 */
final class ContractTools {
    private ContractTools() {
    }

    /** How the tool ended, every line it printed, and the file that holds them. */
    record Result(int exitCode, List<String> lines, Path log) {
        String lastLine() {
            for (int i = lines.size() - 1; i >= 0; i--) {
                if (!lines.get(i).isBlank()) {
                    return lines.get(i).strip();
                }
            }
            return "";
        }
    }

    static Path reportDir(String tool) {
        Path dir = Path.of("target", "contract", tool).toAbsolutePath();
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return dir;
    }

    /** Runs {@code tool args...} (tool is "st" or "redocly"); the process is killed past {@code limit}. */
    static Result run(List<String> toolAndArgs, Map<String, String> env, Duration limit) throws IOException, InterruptedException {
        String script = System.getProperty("contractTools", "../../bootstrap-scripts/install-contract-tools.sh");
        List<String> command = new ArrayList<>(List.of("bash", script));
        command.addAll(toolAndArgs);
        Path dir = reportDir("st".equals(toolAndArgs.get(0)) ? "schemathesis" : toolAndArgs.get(0));
        Path log = dir.resolve("output.txt");
        ProcessBuilder builder = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true);
        builder.environment().putAll(env);
        Process process = builder.start();
        List<String> lines = new ArrayList<>();
        Thread reader = new Thread(() -> copy(process, log, lines), "contract-tool-output");
        reader.start();
        boolean finished = process.waitFor(limit.toSeconds(), TimeUnit.SECONDS);
        if (!finished) {
            process.descendants().forEach(ProcessHandle::destroyForcibly);
            process.destroyForcibly();
            process.waitFor();
        }
        reader.join();
        if (!finished) {
            lines.add("(killed after " + limit.toSeconds() + " s)");
            return new Result(-1, lines, log);
        }
        return new Result(process.exitValue(), lines, log);
    }

    private static void copy(Process process, Path log, List<String> lines) {
        try (BufferedReader in = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
             PrintWriter out = new PrintWriter(Files.newBufferedWriter(log, StandardCharsets.UTF_8))) {
            String line;
            while ((line = in.readLine()) != null) {
                System.out.println(line);
                out.println(line);
                lines.add(line);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
