package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.client.DatacentersApi;
import io.edgeplane.cli.output.Column;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "datacenters", aliases = {"datacenter", "dc"},
        synopsisSubcommandLabel = "COMMAND",
        description = "The datacenters of the active seed: where clusters can be created.",
        subcommands = {DatacentersCommand.ListDatacenters.class, DatacentersCommand.GetDatacenter.class},
        footerHeading = "%nExamples:%n",
        footer = {"  edgeplane datacenters list", "  edgeplane datacenters get store-hamburg-01 -o yaml"})
public final class DatacentersCommand extends GroupCommand {

    static List<Column> columns() {
        return List.of(
                Column.field("Name", "name"),
                Column.field("Country", "country"),
                Column.field("Location", "location"),
                Column.field("Provider", "provider"));
    }

    @Command(name = "list", aliases = "ls", description = "List the datacenters.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane datacenters list -o json")
    static final class ListDatacenters implements Callable<Integer> {
        private final Cli cli;

        ListDatacenters(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            DatacentersApi api = new DatacentersApi(cli.client());
            cli.printer().list(Pages.all(cli, null, api::listDatacenters), columns());
            return ExitCode.OK.status();
        }
    }

    @Command(name = "get", description = "Show one datacenter.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane datacenters get store-hamburg-01 -o yaml")
    static final class GetDatacenter implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "NAME")
        String name;

        GetDatacenter(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            cli.printer().object(cli.call(() -> new DatacentersApi(cli.client()).getDatacenter(name)), columns());
            return ExitCode.OK.status();
        }
    }
}
