package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.client.AuditApi;
import io.edgeplane.cli.output.Column;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "audit",
        description = "The audit trail of every mutating call, refused ones too, newest first (admin token).",
        footerHeading = "%nExamples:%n",
        footer = {"  edgeplane audit --limit 20", "  edgeplane audit -o json | jq '.items[] | select(.result >= 400)'"})
public final class AuditCommand implements Callable<Integer> {

    private final Cli cli;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "100", description = "At most N events (default: ${DEFAULT-VALUE}).")
    Integer limit;

    AuditCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        AuditApi api = new AuditApi(cli.client());
        cli.printer().list(Pages.all(cli, limit, api::listAuditEvents), List.of(
                Column.field("At", "at"),
                Column.field("Actor", "actor"),
                Column.field("Action", "action"),
                Column.field("Target", "target"),
                Column.field("Result", "result"),
                Column.field("Id", "id").wideOnly()));
        return ExitCode.OK.status();
    }
}
