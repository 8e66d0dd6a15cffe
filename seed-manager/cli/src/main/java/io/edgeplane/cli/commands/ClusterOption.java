package io.edgeplane.cli.commands;

import io.edgeplane.cli.Cli;
import io.edgeplane.cli.config.Context;
import picocli.CommandLine.Option;

/** {@code -c/--cluster}, defaulting to the context's. */
final class ClusterOption {

    @Option(names = {"-c", "--cluster"}, paramLabel = "CLUSTER", description = "Cluster (default: the context's).")
    String cluster;

    String cluster(Cli cli) {
        return cluster != null ? cluster : ContextDefaults.of(cli, Context::cluster, "cluster");
    }
}
