package io.edgeplane.cli;

import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.util.Map;

/** One run of the CLI in this JVM, with its own environment and captured streams. */
public record CliRun(int exitCode, String out, String err) {

    public static CliRun withStdin(Map<String, String> env, String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        Cli cli = new Cli(env, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintWriter(out), new PrintWriter(err),
                false, Clock.systemUTC());
        int exitCode = Edgeplane.run(cli, args);
        return new CliRun(exitCode, out.toString(), err.toString());
    }

    public static CliRun run(Map<String, String> env, String... args) {
        return withStdin(env, "", args);
    }
}
