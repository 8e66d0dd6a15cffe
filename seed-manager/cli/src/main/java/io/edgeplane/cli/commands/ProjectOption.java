package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;
import io.edgeplane.cli.config.Context;
import picocli.CommandLine.Option;

/** {@code -p/--project}, defaulting to the context's, as kubectl defaults the namespace. */
final class ProjectOption {

    @Option(names = {"-p", "--project"}, paramLabel = "PROJECT", description = "Project (default: the context's).")
    String project;

    String project(Cli cli) {
        return project != null ? project : ContextDefaults.of(cli, Context::project, "project");
    }
}
