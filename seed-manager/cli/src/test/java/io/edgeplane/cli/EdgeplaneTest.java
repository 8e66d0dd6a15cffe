package io.edgeplane.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class EdgeplaneTest {

    @TempDir
    Path home;

    private Map<String, String> env() {
        return Map.of("HOME", home.toString());
    }

    @Test
    void everyCommandHasHelpWithExamples() {
        Cli cli = new Cli(env(), System.in, new PrintWriter(new StringWriter()), new PrintWriter(new StringWriter()), false, Clock.systemUTC());
        List<CommandLine> commands = new ArrayList<>();
        collect(Edgeplane.commandLine(cli), commands);

        assertThat(commands).hasSizeGreaterThan(10);
        for (CommandLine command : commands) {
            String usage = command.getUsageMessage(CommandLine.Help.Ansi.OFF);
            assertThat(usage).as(command.getCommandSpec().qualifiedName()).contains("Examples:").contains("--help");
            assertThat(CliRun.run(env(), (command.getCommandSpec().qualifiedName().replaceFirst("^edgeplane ?", "") + " --help").trim().split(" "))
                    .exitCode()).isZero();
        }
    }

    private static void collect(CommandLine command, List<CommandLine> into) {
        into.add(command);
        command.getSubcommands().values().stream().distinct().forEach(sub -> collect(sub, into));
    }

    @Test
    void aTypoIsAUsageErrorWithASuggestion() {
        CliRun run = CliRun.run(env(), "projcts", "list");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Unmatched argument").contains("Did you mean: edgeplane projects").contains("edgeplane --help");
        assertThat(run.out()).isEmpty();
    }

    @Test
    void anUnknownOptionOrFormatIsAUsageError() {
        assertThat(CliRun.run(env(), "projects", "list", "--limt", "3").err()).contains("Unknown options: '--limt'").contains("Possible solutions: --limit");
        CliRun format = CliRun.run(env(), "projects", "list", "-o", "xml");
        assertThat(format.exitCode()).isEqualTo(2);
        assertThat(format.err()).contains("expected one of [table, wide, json, yaml]");
    }

    @Test
    void aGroupWithoutVerbListsItsVerbs() {
        CliRun run = CliRun.run(env(), "tokens");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("Missing required subcommand").contains("create").contains("revoke");
    }

    @Test
    void withoutAServerItSaysHowToLogIn() {
        CliRun run = CliRun.run(env(), "projects", "list");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).isEqualTo("error: no server: run 'edgeplane login <server-url>' or set EDGEPLANE_SERVER\n");
    }

    @Test
    void anUnreachableServerIsExitCodeFive() throws IOException {
        int closed;
        try (ServerSocket socket = new ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        CliRun run = CliRun.run(Map.of("HOME", home.toString(), "EDGEPLANE_SERVER", "http://127.0.0.1:" + closed,
                "EDGEPLANE_TOKEN", "secret-token"), "projects", "list");

        assertThat(run.exitCode()).isEqualTo(5);
        assertThat(run.err()).isEqualTo("error: cannot reach http://127.0.0.1:" + closed + ": connection refused or unreachable\n");
        assertThat(run.err()).doesNotContain("secret-token");
    }

    @Test
    void aProjectIsNeededWhereTheContextHasNone() {
        CliRun run = CliRun.run(Map.of("HOME", home.toString(), "EDGEPLANE_SERVER", "http://127.0.0.1:1", "EDGEPLANE_TOKEN", "t"),
                "tokens", "list");

        assertThat(run.exitCode()).isEqualTo(2);
        assertThat(run.err()).contains("no project: pass --project");
    }

    @Test
    void theCompletionScriptCompletesCommandsAndFormats() {
        CliRun run = CliRun.run(env(), "completion");

        assertThat(run.exitCode()).isZero();
        assertThat(run.out()).contains("complete -F _complete_edgeplane").contains("projects").contains("(\"table\" \"wide\" \"json\" \"yaml\")");
    }
}
