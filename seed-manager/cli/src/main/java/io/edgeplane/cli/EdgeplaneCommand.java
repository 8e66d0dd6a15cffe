package io.edgeplane.cli;

import io.edgeplane.cli.commands.AppsCommand;
import io.edgeplane.cli.commands.AuditCommand;
import io.edgeplane.cli.commands.BinariesCommand;
import io.edgeplane.cli.commands.ClustersCommand;
import io.edgeplane.cli.commands.CompletionCommand;
import io.edgeplane.cli.commands.ConfigCommand;
import io.edgeplane.cli.commands.DatacentersCommand;
import io.edgeplane.cli.commands.DevicesCommand;
import io.edgeplane.cli.commands.LoginCommand;
import io.edgeplane.cli.commands.ProjectsCommand;
import io.edgeplane.cli.commands.TokensCommand;
import io.edgeplane.cli.commands.WorkloadsCommand;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ScopeType;
import picocli.CommandLine.Spec;

@Command(name = "edgeplane",
        scope = ScopeType.INHERIT,
        versionProvider = VersionProvider.class,
        usageHelpAutoWidth = true,
        synopsisSubcommandLabel = "COMMAND",
        description = "Operate an Edgeplane seed manager: projects, tenant clusters, edge devices, apps and workloads.",
        subcommands = {
                LoginCommand.class,
                ConfigCommand.class,
                ProjectsCommand.class,
                TokensCommand.class,
                ClustersCommand.class,
                DevicesCommand.class,
                AppsCommand.class,
                WorkloadsCommand.class,
                BinariesCommand.class,
                DatacentersCommand.class,
                AuditCommand.class,
                CompletionCommand.class,
        },
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeplane login http://localhost:8080 --token-file ~/.edgeplane/admin-token",
                "  edgeplane projects create acme --display-name 'ACME Retail'",
                "  edgeplane clusters create shop -p acme --datacenter store-hamburg-01 --wait",
                "  edgeplane clusters list -p acme -o json",
                "",
                "Exit codes:",
                "  0 done                   1 failed (the operation, or the server)",
                "  2 usage or input error   3 refused by the API (400, 401, 403, 409, 422)",
                "  4 not found              5 server unreachable or its certificate not trusted",
                "  6 timed out waiting"
        })
public final class EdgeplaneCommand implements Runnable {

    @Mixin
    GlobalOptions options;

    // Only here: below, --version is a Kubernetes version.
    @Option(names = {"-V", "--version"}, versionHelp = true, description = "Print the CLI's version and exit.")
    boolean version;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), Edgeplane.MISSING_SUBCOMMAND);
    }
}
