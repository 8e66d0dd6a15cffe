package io.edgeplane.cli;

import io.edgeplane.cli.output.OutputFormat;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** Options every command accepts, wherever they appear on the command line. */
public final class GlobalOptions {

    @Option(names = "--context", scope = ScopeType.INHERIT, paramLabel = "NAME",
            description = "Context from the config file to use (default: the current context, or $EDGEPLANE_CONTEXT).")
    String context;

    @Option(names = "--server", scope = ScopeType.INHERIT, paramLabel = "URL",
            description = "Seed manager URL (default: $EDGEPLANE_SERVER, else the context's). A context's token is never sent to another server.")
    String server;

    @Option(names = {"-o", "--output"}, scope = ScopeType.INHERIT, paramLabel = "FORMAT", defaultValue = "table",
            converter = OutputFormatConverter.class, completionCandidates = OutputFormatConverter.Candidates.class,
            description = "Output format: ${COMPLETION-CANDIDATES} (default: ${DEFAULT-VALUE}).")
    OutputFormat output = OutputFormat.TABLE;

    @Option(names = {"-h", "--help"}, scope = ScopeType.INHERIT, usageHelp = true, description = "Show this help and exit.")
    boolean help;

    public String context() {
        return context;
    }

    public String server() {
        return server;
    }

    public OutputFormat output() {
        return output;
    }
}
