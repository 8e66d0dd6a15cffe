package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.config.Context;
import io.edgeplane.cli.config.Target;

import java.util.function.Function;

/** The project or cluster the selected context names, for commands not given one. */
final class ContextDefaults {

    private ContextDefaults() {
    }

    static String of(Cli cli, Function<Context, String> field, String what) {
        return Target.selectContext(cli.configFile().load(), cli.env(), cli.options().context())
                .map(field)
                .orElseThrow(() -> new CliFailure(ExitCode.USAGE,
                        "no " + what + ": pass --" + what + " or set a default with 'edgeplane config set-context --" + what + " NAME'"));
    }
}
