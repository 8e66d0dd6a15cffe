package io.edgeplane.cli.commands;

import io.edgeplane.cli.Edgeplane;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Spec;

/** A resource that only groups verbs: called alone, it says which verbs exist. */
@Command
abstract class GroupCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), Edgeplane.MISSING_SUBCOMMAND);
    }
}
