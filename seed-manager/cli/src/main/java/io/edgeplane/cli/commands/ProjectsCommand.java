package io.edgeplane.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.cli.Cli;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.client.ProjectsApi;
import io.edgeplane.cli.api.model.CreateProjectRequest;
import io.edgeplane.cli.output.Column;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.util.List;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "projects", aliases = "project",
        synopsisSubcommandLabel = "COMMAND",
        description = "Projects (tenants): they own clusters, apps and tokens.",
        subcommands = {ProjectsCommand.ListProjects.class, ProjectsCommand.GetProject.class, ProjectsCommand.CreateProject.class, ProjectsCommand.DeleteProject.class},
        footerHeading = "%nExamples:%n",
        footer = {"  edgeplane projects create acme --display-name 'ACME Retail'", "  edgeplane projects list -o json"})
public final class ProjectsCommand extends GroupCommand {

    static List<Column> columns(Cli cli) {
        return List.of(
                Column.field("Name", "name"),
                Column.field("Display name", "displayName"),
                Column.age("Age", "createdAt", cli.clock()));
    }

    @Command(name = "list", aliases = "ls", description = "List the projects the token may see.",
            footerHeading = "%nExamples:%n", footer = {"  edgeplane projects list", "  edgeplane projects list -o yaml"})
    static final class ListProjects implements Callable<Integer> {
        private final Cli cli;

        @Option(names = "--limit", paramLabel = "N", description = "At most N projects (default: all).")
        Integer limit;

        ListProjects(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            ProjectsApi api = new ProjectsApi(cli.client());
            List<JsonNode> projects = Pages.all(cli, limit, api::listProjects);
            cli.printer().list(projects, columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "get", description = "Show one project.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane projects get acme -o yaml")
    static final class GetProject implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "NAME")
        String name;

        GetProject(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            cli.printer().object(cli.call(() -> new ProjectsApi(cli.client()).getProject(name)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "create", description = "Create a project (admin token).",
            footerHeading = "%nExamples:%n", footer = "  edgeplane projects create acme --display-name 'ACME Retail'")
    static final class CreateProject implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "NAME", description = "A DNS label: lowercase letters, digits and '-'.")
        String name;

        @Option(names = "--display-name", paramLabel = "TEXT")
        String displayName;

        CreateProject(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            CreateProjectRequest request = new CreateProjectRequest().name(name).displayName(displayName);
            cli.printer().object(cli.call(() -> new ProjectsApi(cli.client()).createProject(request)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete a project and its tokens (admin token; it must have no clusters).",
            footerHeading = "%nExamples:%n", footer = "  edgeplane projects delete acme")
    static final class DeleteProject implements Callable<Integer> {
        private final Cli cli;

        @Parameters(paramLabel = "NAME")
        String name;

        DeleteProject(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            cli.call(() -> {
                new ProjectsApi(cli.client()).deleteProject(name);
                return null;
            });
            cli.err().println("project " + name + " deleted");
            return ExitCode.OK.status();
        }
    }
}
