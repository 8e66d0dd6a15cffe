package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;
import io.edgeplane.cli.ExitCode;
import picocli.AutoComplete;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

import java.util.concurrent.Callable;

@Command(name = "completion",
        description = "Print the bash completion script (it also works in zsh after 'autoload -U bashcompinit && bashcompinit').",
        footerHeading = "%nExamples:%n",
        footer = {
                "  source <(edgeplane completion)",
                "  edgeplane completion > /etc/bash_completion.d/edgeplane"})
public final class CompletionCommand implements Callable<Integer> {

    private final Cli cli;

    @Spec
    CommandSpec spec;

    CompletionCommand(Cli cli) {
        this.cli = cli;
    }

    @Override
    public Integer call() {
        cli.out().print(AutoComplete.bash(spec.root().name(), spec.root().commandLine()));
        cli.out().flush();
        return ExitCode.OK.status();
    }
}
