package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.client.AppsApi;
import io.edgeplane.cli.api.model.AppRequest;
import io.edgeplane.cli.output.Column;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "apps", aliases = "app",
        synopsisSubcommandLabel = "COMMAND",
        description = "A project's apps: named, versioned container specs that workloads deploy.",
        subcommands = {AppsCommand.RegisterApp.class, AppsCommand.ListApps.class, AppsCommand.GetApp.class},
        footerHeading = "%nExamples:%n",
        footer = {"  edgeplane apps register -p acme -f hello-1.yaml", "  edgeplane apps list -p acme", "  edgeplane apps get -p acme hello 1"})
public final class AppsCommand extends GroupCommand {

    static List<Column> columns(Cli cli) {
        return List.of(
                Column.field("Name", "name"),
                Column.field("Version", "version"),
                Column.field("Title", "title"),
                Column.of("Images", app -> {
                    StringBuilder images = new StringBuilder();
                    app.path("containers").forEach(c -> images.append(images.isEmpty() ? "" : ",").append(c.path("image").asText()));
                    return images.toString();
                }).wideOnly(),
                Column.age("Age", "createdAt", cli.clock()));
    }

    @Command(name = "register", aliases = "create",
            description = {"Register an app version from a YAML (or JSON) file; an unused version of the same number is replaced.",
                    "Unknown fields and malformed files are refused before anything is sent."},
            footerHeading = "%nExamples:%n",
            footer = {
                    "  cat > hello-1.yaml <<'YAML'",
                    "  name: hello",
                    "  version: '1'",
                    "  containers:",
                    "    - name: web",
                    "      image: registry.example.com/hello-http:1.0",
                    "      ports: [{name: http, containerPort: 8080, hostPort: 18080}]",
                    "  defaultConfiguration: {greeting: hello}",
                    "  configurationSchema: {type: object, properties: {greeting: {type: string}}}",
                    "  YAML",
                    "  edgeplane apps register -p acme -f hello-1.yaml"})
    static final class RegisterApp implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The app version, YAML or JSON ('-' reads stdin).")
        String file;

        RegisterApp(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            AppRequest request = cli.manifests().read(file, AppRequest.class);
            String p = project.project(cli);
            cli.printer().object(cli.call(() -> new AppsApi(cli.client()).registerApp(p, request)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "list", aliases = "ls", description = "List a project's app versions.",
            footerHeading = "%nExamples:%n", footer = {"  edgeplane apps list -p acme", "  edgeplane apps list -p acme --name hello -o json"})
    static final class ListApps implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Option(names = "--name", paramLabel = "APP", description = "Only the versions of this app.")
        String name;

        @Option(names = "--limit", paramLabel = "N", description = "At most N versions (default: all).")
        Integer limit;

        ListApps(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = project.project(cli);
            AppsApi api = new AppsApi(cli.client());
            cli.printer().list(Pages.all(cli, limit, (l, c) -> api.listApps(p, name, l, c)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "get", description = "Show one app version.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane apps get -p acme hello 1 -o yaml")
    static final class GetApp implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Parameters(index = "0", paramLabel = "NAME")
        String name;

        @Parameters(index = "1", paramLabel = "VERSION")
        String version;

        GetApp(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = project.project(cli);
            cli.printer().object(cli.call(() -> new AppsApi(cli.client()).getAppVersion(p, name, version)), columns(cli));
            return ExitCode.OK.status();
        }
    }
}
