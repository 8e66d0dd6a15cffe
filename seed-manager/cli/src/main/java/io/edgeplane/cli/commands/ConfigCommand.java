package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.config.CliConfig;
import io.edgeplane.cli.config.ConfigFile;
import io.edgeplane.cli.config.Context;
import io.edgeplane.cli.output.Column;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "config",
        synopsisSubcommandLabel = "COMMAND",
        description = "Contexts in the config file: a server, its token and trust, and a default project and cluster.",
        subcommands = {
                ConfigCommand.GetContexts.class,
                ConfigCommand.CurrentContext.class,
                ConfigCommand.UseContext.class,
                ConfigCommand.SetContext.class,
                ConfigCommand.DeleteContext.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeplane config get-contexts",
                "  edgeplane config use-context prod",
                "  edgeplane config set-context --project acme --cluster store"})
public final class ConfigCommand extends GroupCommand {

    /** A context as shown: everything but the token. */
    record ContextView(String name, boolean current, String server, String project, String cluster,
                       String certificateAuthority, String certificateFingerprint) {
        static ContextView of(Context context, String current) {
            return new ContextView(context.name(), context.name().equals(current), context.server(), context.project(),
                    context.cluster(), context.certificateAuthority(), context.certificateFingerprint());
        }
    }

    private static final List<Column> COLUMNS = List.of(
            Column.of("Current", node -> node.path("current").asBoolean() ? "*" : ""),
            Column.field("Name", "name"),
            Column.field("Server", "server"),
            Column.field("Project", "project"),
            Column.field("Cluster", "cluster"),
            Column.of("Trust", node -> !node.path("certificateFingerprint").isMissingNode() && !node.path("certificateFingerprint").isNull()
                    ? "pinned " + node.path("certificateFingerprint").asText()
                    : !node.path("certificateAuthority").isNull() && !node.path("certificateAuthority").isMissingNode()
                    ? "CA " + node.path("certificateAuthority").asText() : "system"));

    @Command(name = "get-contexts", description = "List the contexts (never their tokens).")
    static final class GetContexts implements Callable<Integer> {
        private final Cli cli;

        GetContexts(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            CliConfig config = cli.configFile().load();
            cli.printer().list(config.contexts().stream().map(c -> ContextView.of(c, config.currentContext())).toList(), COLUMNS);
            return ExitCode.OK.status();
        }
    }

    @Command(name = "current-context", description = "Print the current context's name.")
    static final class CurrentContext implements Callable<Integer> {
        private final Cli cli;

        CurrentContext(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String current = cli.configFile().load().currentContext();
            if (current == null) {
                throw new CliFailure(ExitCode.NOT_FOUND, "no current context; run 'edgeplane login <server>'");
            }
            cli.out().println(current);
            return ExitCode.OK.status();
        }
    }

    @Command(name = "use-context", description = "Make a context the current one.")
    static final class UseContext implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "NAME")
        String name;

        UseContext(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ConfigFile file = cli.configFile();
            CliConfig config = file.load();
            requireContext(config, name);
            file.save(config.withCurrentContext(name));
            cli.err().println("Switched to context '" + name + "'.");
            return ExitCode.OK.status();
        }
    }

    @Command(name = "set-context", description = "Set a context's default project and cluster (an empty value clears it).")
    static final class SetContext implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "Context to change (default: the current one).")
        String name;

        @Option(names = "--project", paramLabel = "PROJECT")
        String project;

        @Option(names = "--cluster", paramLabel = "CLUSTER")
        String cluster;

        SetContext(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ConfigFile file = cli.configFile();
            CliConfig config = file.load();
            String target = name != null ? name : config.currentContext();
            if (target == null) {
                throw new CliFailure(ExitCode.USAGE, "no current context; name one or run 'edgeplane login <server>'");
            }
            Context context = requireContext(config, target);
            if (project != null) {
                context = context.withProject(project.isEmpty() ? null : project);
            }
            if (cluster != null) {
                context = context.withCluster(cluster.isEmpty() ? null : cluster);
            }
            file.save(config.withContext(context));
            cli.err().println("Context '" + target + "' updated.");
            return ExitCode.OK.status();
        }
    }

    @Command(name = "delete-context", description = "Remove a context and its token from the config file.")
    static final class DeleteContext implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "NAME")
        String name;

        DeleteContext(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ConfigFile file = cli.configFile();
            CliConfig config = file.load();
            requireContext(config, name);
            file.save(config.withoutContext(name));
            cli.err().println("Context '" + name + "' deleted.");
            return ExitCode.OK.status();
        }
    }

    static Context requireContext(CliConfig config, String name) {
        return config.context(name).orElseThrow(() ->
                new CliFailure(ExitCode.NOT_FOUND, "no context named '" + name + "'; see 'edgeplane config get-contexts'"));
    }
}
