package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Predicate;

/**
 * The {@code edgeplane} CLI as an operator runs it: the launcher the build ships (seed-manager/cli/edgeplane),
 * a separate process with its own home and config directory, nothing shared with this JVM but the server's URL.
 */
final class EdgeplaneCli {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final Path launcher;
    private final Map<String, String> env;

    EdgeplaneCli(Path home) {
        this.launcher = Path.of(System.getProperty("edgeplaneCli",
                Path.of(System.getProperty("repositoryRoot", ".")).resolve("seed-manager/cli/edgeplane").toString()));
        if (!Files.isExecutable(launcher) || !Files.exists(launcher.resolveSibling("target/edgeplane.jar"))) {
            throw new IllegalStateException("no CLI at " + launcher + " (and target/edgeplane.jar beside it); build seed-manager/cli first");
        }
        this.env = Map.of(
                "HOME", home.toString(),
                "XDG_CONFIG_HOME", home.resolve(".config").toString(),
                "PATH", System.getenv().getOrDefault("PATH", "/usr/bin:/bin"),
                "JAVA_HOME", System.getProperty("java.home"));
    }

    Path configFile() {
        return Path.of(env.get("XDG_CONFIG_HOME"), "edgeplane", "config.yaml");
    }

    /** One command with {@code stdin}, to its end. */
    Result run(String stdin, Duration timeout, Map<String, String> extraEnv, String... args) {
        Process process = start(extraEnv, args);
        try {
            CompletableFuture<String> out = CompletableFuture.supplyAsync(() -> read(process.getInputStream()));
            CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
            try (var in = process.getOutputStream()) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
            if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                process.destroyForcibly();
                throw new AssertionError("edgeplane " + String.join(" ", args) + " still runs after " + timeout.toSeconds() + " s");
            }
            Result result = new Result(List.of(args), process.exitValue(), out.join(), err.join());
            System.out.printf("e2e: $ edgeplane %s -> %d%n%s%s", String.join(" ", args), result.exitCode(), indent(result.stdout()), indent(result.stderr()));
            return result;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    Result run(String... args) {
        return run("", Duration.ofMinutes(2), Map.of(), args);
    }

    /** Runs and expects exit code 0. */
    Result ok(String... args) {
        Result result = run(args);
        if (result.exitCode() != 0) {
            throw new AssertionError("edgeplane " + String.join(" ", args) + " failed: " + result);
        }
        return result;
    }

    Result ok(Duration timeout, String... args) {
        Result result = run("", timeout, Map.of(), args);
        if (result.exitCode() != 0) {
            throw new AssertionError("edgeplane " + String.join(" ", args) + " failed: " + result);
        }
        return result;
    }

    /**
     * Starts a long-running command (a watch), hands each line of its stdout to {@code until} and stops it once
     * that answers true; returns the lines read.
     */
    List<String> watchUntil(Predicate<String> until, Duration timeout, String... args) {
        Process process = start(Map.of(), args);
        List<String> lines = new ArrayList<>();
        CompletableFuture<String> err = CompletableFuture.supplyAsync(() -> read(process.getErrorStream()));
        CompletableFuture<Boolean> seen = CompletableFuture.supplyAsync(() -> {
            try (BufferedReader out = new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = out.readLine()) != null) {
                    synchronized (lines) {
                        lines.add(line);
                    }
                    System.out.println("e2e: watch | " + line);
                    if (until.test(line)) {
                        return true;
                    }
                }
                return false;
            } catch (IOException e) {
                return false;
            }
        });
        try {
            boolean found = seen.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
            if (!found) {
                throw new AssertionError("edgeplane " + String.join(" ", args) + " ended (exit " + process.waitFor() + ") without the awaited line: "
                        + lines + " " + err.getNow(""));
            }
            return lines;
        } catch (TimeoutException e) {
            throw new AssertionError("edgeplane " + String.join(" ", args) + " never printed the awaited line in " + timeout.toSeconds() + " s: " + lines);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        } catch (ExecutionException e) {
            throw new IllegalStateException(e.getCause());
        } finally {
            process.destroy();
            try {
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    private Process start(Map<String, String> extraEnv, String... args) {
        List<String> command = new ArrayList<>();
        command.add(launcher.toString());
        command.addAll(List.of(args));
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().clear();
        builder.environment().putAll(env);
        builder.environment().putAll(extraEnv);
        try {
            return builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String read(InputStream in) {
        try {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String indent(String text) {
        if (text.isBlank()) {
            return "";
        }
        StringBuilder indented = new StringBuilder();
        text.lines().limit(40).forEach(line -> indented.append("e2e:   ").append(line).append('\n'));
        return indented.toString();
    }

    /** What a command printed and how it ended. */
    record Result(List<String> args, int exitCode, String stdout, String stderr) {
        JsonNode json() {
            try {
                return JSON.readTree(stdout);
            } catch (IOException e) {
                throw new AssertionError("not JSON from edgeplane " + String.join(" ", args) + ": " + stdout, e);
            }
        }

        static JsonNode json(String line) {
            try {
                return JSON.readTree(line);
            } catch (IOException e) {
                throw new AssertionError("not JSON: " + line, e);
            }
        }
    }
}
