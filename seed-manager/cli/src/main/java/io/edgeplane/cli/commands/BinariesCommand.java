package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.client.BinariesApi;
import io.edgeplane.cli.output.Column;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "binaries",
        synopsisSubcommandLabel = "COMMAND",
        description = "The Kubernetes binaries the seed manager prepares per version and platform, and serves to devices (admin token).",
        subcommands = {BinariesCommand.ListBinaries.class, BinariesCommand.PrepareBinaries.class},
        footerHeading = "%nExamples:%n",
        footer = {"  edgeplane binaries list", "  edgeplane binaries prepare v1.36.3"})
public final class BinariesCommand extends GroupCommand {

    static List<Column> columns() {
        return List.of(
                Column.field("Version", "version"),
                Column.field("Platform", "platform"),
                Column.field("Phase", "phase"),
                Column.field("Source", "source"),
                Column.field("Step", "step"),
                Column.field("Attempts", "attempts").wideOnly(),
                Column.field("Last failure", "lastFailure").wideOnly());
    }

    @Command(name = "list", aliases = "ls", description = "Every supported version's binaries per platform, with their preparation's progress.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane binaries list -o wide")
    static final class ListBinaries implements Callable<Integer> {
        private final Cli cli;

        @Option(names = "--limit", paramLabel = "N", description = "At most N entries (default: all).")
        Integer limit;

        ListBinaries(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            BinariesApi api = new BinariesApi(cli.client());
            cli.printer().list(Pages.all(cli, limit, api::listBinaries), columns());
            return ExitCode.OK.status();
        }
    }

    @Command(name = "prepare", description = "Prepare a version's binaries ahead of time, for both architectures (e.g. before a site goes offline).",
            footerHeading = "%nExamples:%n", footer = "  edgeplane binaries prepare v1.36.3")
    static final class PrepareBinaries implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "VERSION")
        String version;

        PrepareBinaries(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            List<Object> platforms = new ArrayList<>(cli.call(() -> new BinariesApi(cli.client()).prepareBinaries(version)));
            cli.printer().list(platforms, columns());
            return ExitCode.OK.status();
        }
    }
}
