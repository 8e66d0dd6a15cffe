package io.edgeplane.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.cli.Cli;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.client.ClustersApi;
import io.edgeplane.cli.api.client.KubeconfigsApi;
import io.edgeplane.cli.api.model.CreateClusterRequest;
import io.edgeplane.cli.api.model.NodeHealthRequest;
import io.edgeplane.cli.api.model.UpgradeClusterRequest;
import io.edgeplane.cli.output.Column;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;

@Command(name = "clusters", aliases = "cluster",
        synopsisSubcommandLabel = "COMMAND",
        description = "Tenant clusters: a hosted control plane per cluster, and the edge devices that joined it.",
        subcommands = {ClustersCommand.CreateCluster.class, ClustersCommand.ListClusters.class, ClustersCommand.GetCluster.class,
                ClustersCommand.UpgradeCluster.class, ClustersCommand.DeleteCluster.class, ClustersCommand.Kubeconfig.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeplane clusters create store -p acme --datacenter store-hamburg-01 --wait",
                "  edgeplane clusters kubeconfig store -p acme --file store.kubeconfig",
                "  edgeplane clusters upgrade store -p acme --version v1.37.1 --wait",
                "  edgeplane clusters list -p acme -w"})
public final class ClustersCommand extends GroupCommand {

    static final String DEFAULT_TIMEOUT = "15m";

    static List<Column> columns(Cli cli) {
        return List.of(
                Column.field("Name", "name"),
                Column.field("Datacenter", "datacenter"),
                Column.field("Version", "version"),
                Column.field("Phase", "phase"),
                Column.field("Endpoint", "endpoint").wideOnly(),
                Column.field("Message", "message").wideOnly(),
                Column.age("Age", "createdAt", cli.clock()));
    }

    /** The phase, and what the first component not ready says: what an operator watches while a cluster starts. */
    static String status(JsonNode cluster) {
        StringBuilder status = new StringBuilder(cluster.path("name").asText()).append(": ").append(cluster.path("phase").asText());
        for (JsonNode condition : cluster.path("conditions")) {
            if (!condition.path("ready").asBoolean()) {
                status.append(", ").append(condition.path("component").asText()).append(' ').append(condition.path("reason").asText());
                String message = condition.path("message").asText("");
                if (!message.isEmpty()) {
                    status.append(": ").append(message);
                }
                return status.toString();
            }
        }
        String message = cluster.path("message").asText("");
        return message.isEmpty() ? status.toString() : status.append(" (").append(message).append(')').toString();
    }

    static Watching.Verdict running(JsonNode cluster) {
        return switch (cluster.path("phase").asText()) {
            case "Running" -> Watching.Verdict.DONE;
            case "Failed" -> Watching.Verdict.FAILED;
            default -> Watching.Verdict.WAIT;
        };
    }

    @Command(name = "create",
            description = {"Create a cluster in an edge datacenter. It starts in the background;",
                    "--wait shows its phase and component conditions until it is Running (or Failed)."},
            footerHeading = "%nExamples:%n",
            footer = {"  edgeplane clusters create store -p acme --datacenter store-hamburg-01 --wait",
                    "  edgeplane clusters create line -p acme --datacenter lab --version v1.36.3 \\",
                    "      --node-grace-period 40s --node-eviction 5m"})
    static final class CreateCluster implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Parameters(paramLabel = "NAME", description = "A DNS label, unique in the project.")
        String name;

        @Option(names = "--datacenter", required = true, paramLabel = "DATACENTER", description = "An edge datacenter of the seed (see 'edgeplane datacenters list').")
        String datacenter;

        @Option(names = "--version", paramLabel = "VERSION", description = "A supported Kubernetes version (default: the seed manager's).")
        String version;

        @Option(names = "--node-grace-period", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long a node may be silent before it is NotReady.")
        Duration gracePeriod;

        @Option(names = "--node-eviction", paramLabel = "DURATION", converter = DurationConverter.class,
                description = "How long pods without their own tolerations stay on such a node.")
        Duration eviction;

        @Option(names = "--wait", description = "Wait until the cluster is Running; exit 1 if it fails.")
        boolean await;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = DEFAULT_TIMEOUT,
                description = "How long --wait waits (default: ${DEFAULT-VALUE}); exit 6 after it.")
        Duration timeout;

        CreateCluster(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            CreateClusterRequest request = new CreateClusterRequest().name(name).datacenter(datacenter).version(version);
            if (gracePeriod != null || eviction != null) {
                request.nodeHealth(new NodeHealthRequest()
                        .gracePeriodSeconds(gracePeriod == null ? null : Math.toIntExact(gracePeriod.toSeconds()))
                        .evictionSeconds(eviction == null ? null : Math.toIntExact(eviction.toSeconds())));
            }
            String p = project.project(cli);
            Object created = cli.call(() -> new ClustersApi(cli.client()).createCluster(p, request));
            Object shown = await
                    ? Watching.until(cli, ApiPaths.clusters(p), name, timeout, ClustersCommand::running, ClustersCommand::status)
                    : created;
            cli.printer().object(shown, columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "list", aliases = "ls", description = "List a project's clusters; -w follows their phase changes.",
            footerHeading = "%nExamples:%n", footer = {"  edgeplane clusters list -p acme -o wide", "  edgeplane clusters list -p acme -w"})
    static final class ListClusters implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Option(names = {"-w", "--watch"}, description = "After the list, print each change as it happens (until Ctrl-C or --timeout).")
        boolean watch;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, description = "Stop watching after this long.")
        Duration timeout;

        @Option(names = "--limit", paramLabel = "N", description = "At most N clusters (default: all).")
        Integer limit;

        ListClusters(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = project.project(cli);
            if (watch) {
                return Watching.follow(cli, ApiPaths.clusters(p), c -> true, columns(cli), timeout);
            }
            ClustersApi api = new ClustersApi(cli.client());
            cli.printer().list(Pages.all(cli, limit, (l, at) -> api.listClusters(ClustersApi.APIListClustersRequest.newBuilder().project(p).limit(l).cursor(at).build())), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "get", description = "Show one cluster: phase, component conditions, endpoint, certificate expiry.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane clusters get store -p acme -o yaml")
    static final class GetCluster implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Parameters(paramLabel = "NAME")
        String name;

        GetCluster(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = project.project(cli);
            cli.printer().object(cli.call(() -> new ClustersApi(cli.client()).getCluster(p, name)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "upgrade", description = "Move a cluster to a newer supported version (one minor version at a time).",
            footerHeading = "%nExamples:%n", footer = "  edgeplane clusters upgrade store -p acme --version v1.37.1 --wait")
    static final class UpgradeCluster implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--version", required = true, paramLabel = "VERSION")
        String version;

        @Option(names = "--wait", description = "Wait until the cluster is Running the new version; exit 1 if it fails.")
        boolean await;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = DEFAULT_TIMEOUT,
                description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        UpgradeCluster(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = project.project(cli);
            Object accepted = cli.call(() -> new ClustersApi(cli.client()).upgradeCluster(p, name, new UpgradeClusterRequest().version(version)));
            Object shown = await
                    ? Watching.until(cli, ApiPaths.clusters(p), name, timeout,
                    c -> c.path("version").asText().equals(version) && c.path("observedGeneration").asLong() >= c.path("generation").asLong()
                            ? running(c) : c.path("phase").asText().equals("Failed") ? Watching.Verdict.FAILED : Watching.Verdict.WAIT,
                    ClustersCommand::status)
                    : accepted;
            cli.printer().object(shown, columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "delete", aliases = "rm", description = "Delete a cluster: its control plane, data, credentials and ports.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane clusters delete store -p acme --wait")
    static final class DeleteCluster implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--wait", description = "Wait until it is gone; exit 1 if the deletion fails.")
        boolean await;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = DEFAULT_TIMEOUT,
                description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        DeleteCluster(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = project.project(cli);
            Object accepted = cli.call(() -> new ClustersApi(cli.client()).deleteCluster(p, name));
            if (await) {
                Watching.untilGone(cli, ApiPaths.clusters(p), name, timeout, ClustersCommand::status);
                cli.err().println("cluster " + name + " deleted");
            } else {
                cli.printer().object(accepted, columns(cli));
            }
            return ExitCode.OK.status();
        }
    }

    @Command(name = "kubeconfig",
            description = {"Issue a new admin kubeconfig (a short-lived client certificate) for a Running cluster.",
                    "Written to stdout, or with --file to a file only you can read."},
            footerHeading = "%nExamples:%n",
            footer = {"  edgeplane clusters kubeconfig store -p acme --file store.kubeconfig",
                    "  kubectl --kubeconfig store.kubeconfig get nodes",
                    "  edgeplane clusters kubeconfig store -p acme --lifetime 15m > /tmp/k && KUBECONFIG=/tmp/k kubectl get pods -A"})
    static final class Kubeconfig implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--lifetime", paramLabel = "DURATION", description = "How long it is valid, e.g. 15m or 1h (default and maximum: the server's).")
        String lifetime;

        @Option(names = "--file", paramLabel = "FILE", description = "Write it to FILE (mode 0600) instead of stdout.")
        Path file;

        Kubeconfig(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = project.project(cli);
            String kubeconfig = cli.call(() -> new KubeconfigsApi(cli.client()).getKubeconfig(p, name, lifetime));
            if (file == null) {
                cli.printer().raw(kubeconfig);
                return ExitCode.OK.status();
            }
            write(kubeconfig);
            cli.err().println("kubeconfig for " + name + " written to " + file);
            return ExitCode.OK.status();
        }

        /** Owner-only from the first byte: the file holds a client key. */
        private void write(String kubeconfig) {
            try {
                Path dir = file.toAbsolutePath().getParent();
                Path temp = Files.createTempFile(dir, ".kubeconfig-", ".tmp", PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
                try {
                    Files.writeString(temp, kubeconfig, StandardCharsets.UTF_8);
                    Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
                } finally {
                    Files.deleteIfExists(temp);
                }
            } catch (IOException e) {
                throw new CliFailure(ExitCode.FAILED, "cannot write " + file + ": " + e.getMessage(), e);
            }
        }
    }
}
