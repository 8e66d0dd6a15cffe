package io.edgeplane.cli;

import picocli.CommandLine;

import java.io.Console;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.OutputStreamWriter;
import java.io.PrintWriter;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.time.Clock;

/** The {@code edgeplane} command. */
public final class Edgeplane {

    public static final String MISSING_SUBCOMMAND = "Missing required subcommand";

    private Edgeplane() {
    }

    public static void main(String[] args) {
        PrintWriter out = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.out), StandardCharsets.UTF_8), true);
        PrintWriter err = new PrintWriter(new OutputStreamWriter(new FileOutputStream(FileDescriptor.err), StandardCharsets.UTF_8), true);
        Cli cli = new Cli(System.getenv(), System.in, out, err, onTerminal(), Clock.systemUTC());
        int status = run(cli, args);
        out.flush();
        err.flush();
        System.exit(status);
    }

    public static int run(Cli cli, String... args) {
        return commandLine(cli).execute(args);
    }

    public static CommandLine commandLine(Cli cli) {
        CommandLine commandLine = new CommandLine(EdgeplaneCommand.class, new CommandFactory(cli));
        commandLine.setOut(cli.out());
        commandLine.setErr(cli.err());
        commandLine.setCaseInsensitiveEnumValuesAllowed(true);
        commandLine.setExecutionExceptionHandler((e, failed, parseResult) -> report(cli, e));
        commandLine.setParameterExceptionHandler((e, args) -> usageError(e));
        return commandLine;
    }

    /** A short error with a did-you-mean, as git and kubectl answer typos; the full usage only when a verb is missing. */
    private static int usageError(CommandLine.ParameterException e) {
        CommandLine failed = e.getCommandLine();
        PrintWriter err = failed.getErr();
        err.println("error: " + e.getMessage());
        if (e.getMessage().startsWith(MISSING_SUBCOMMAND)) {
            failed.usage(err);
        } else {
            CommandLine.UnmatchedArgumentException.printSuggestions(e, err);
            err.println("Run '" + failed.getCommandSpec().qualifiedName() + " --help' for usage.");
        }
        err.flush();
        return ExitCode.USAGE.status();
    }

    private static int report(Cli cli, Exception e) {
        PrintWriter err = cli.err();
        if (e instanceof CliFailure failure) {
            err.println("error: " + failure.getMessage());
            err.flush();
            return failure.exitCode().status();
        }
        err.println("error: unexpected failure, a bug in edgeplane; please report it with this trace:");
        e.printStackTrace(err);
        err.flush();
        return ExitCode.FAILED.status();
    }

    /** True when a person watches: then, and only then, the CLI shows progress and may prompt. */
    static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        // From Java 22 a console exists even in pipes; it says itself whether it is a terminal.
        try {
            Method isTerminal = Console.class.getMethod("isTerminal");
            return (Boolean) isTerminal.invoke(console);
        } catch (ReflectiveOperationException e) {
            return true;
        }
    }
}
