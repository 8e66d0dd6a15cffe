package io.edgeplane.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.cli.Cli;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.client.WorkloadsApi;
import io.edgeplane.cli.api.model.ApplyWorkloadsRequest;
import io.edgeplane.cli.api.model.DeployWorkloadsRequest;
import io.edgeplane.cli.api.model.WorkloadBatch;
import io.edgeplane.cli.api.model.WorkloadDeployment;
import io.edgeplane.cli.api.model.WorkloadState;
import io.edgeplane.cli.output.Column;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.regex.Pattern;

@Command(name = "workloads", aliases = "workload",
        synopsisSubcommandLabel = "COMMAND",
        description = "Workloads: app versions deployed to a cluster's devices, each with its own configuration.",
        subcommands = {WorkloadsCommand.DeployWorkloads.class, WorkloadsCommand.ListWorkloads.class, WorkloadsCommand.GetWorkload.class,
                WorkloadsCommand.ApplyWorkloads.class, WorkloadsCommand.StartWorkload.class, WorkloadsCommand.StopWorkload.class,
                WorkloadsCommand.UndeployWorkload.class, WorkloadsCommand.Bundle.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeplane workloads deploy -p acme -c store -f hello.yaml",
                "  edgeplane workloads deploy -f hello-2.yaml --staged && edgeplane workloads apply hello",
                "  edgeplane workloads list -w",
                "  edgeplane workloads bundle export hello --node till-1 --file hello.tar"})
public final class WorkloadsCommand extends GroupCommand {

    static List<Column> columns(Cli cli) {
        return List.of(
                Column.field("Name", "name"),
                Column.field("App", "app"),
                Column.field("Version", "version"),
                Column.field("State", "state"),
                Column.field("Nodes", "nodes"),
                Column.of("Staged", w -> w.path("staged").isObject()
                        ? w.path("staged").path("version").asText() + " " + w.path("staged").path("state").asText() : ""),
                Column.field("Message", "message").wideOnly(),
                Column.field("Last seen", "lastSeen").wideOnly(),
                Column.age("Age", "createdAt", cli.clock()));
    }

    /** The project and cluster every verb works in. */
    static final class Place {
        @Mixin
        ProjectOption project;

        @Mixin
        ClusterOption cluster;
    }

    @Command(name = "deploy",
            description = {"Deploy (or update: same name, new version) one workload, or {workloads: [...]} at once, from a YAML or JSON file.",
                    "--staged pre-pulls the images and waits for 'apply'; --apply-when-ready applies once every image is present.",
                    "Unknown fields and malformed files are refused before anything is sent."},
            footerHeading = "%nExamples:%n",
            footer = {
                    "  cat > hello.yaml <<'YAML'",
                    "  name: hello",
                    "  app: hello",
                    "  version: '1'",
                    "  nodes: [till-1]",
                    "  configuration: {greeting: moin}",
                    "  YAML",
                    "  edgeplane workloads deploy -p acme -c store -f hello.yaml",
                    "  edgeplane workloads deploy -f hello.yaml --staged --apply-when-ready"})
    static final class DeployWorkloads implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Place place;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The workload(s), YAML or JSON ('-' reads stdin).")
        String file;

        @Option(names = "--staged", description = "Pre-pull the images on the target devices; apply later with 'workloads apply'.")
        boolean staged;

        @Option(names = "--apply-when-ready", description = "Staged, and applied as soon as every image of every workload in the file is present.")
        boolean applyWhenReady;

        DeployWorkloads(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            Object body = cli.manifests().<Object>read(file, tree -> tree.has("workloads") ? WorkloadBatch.class : WorkloadDeployment.class);
            List<WorkloadDeployment> deployments = body instanceof WorkloadBatch batch ? batch.getWorkloads() : List.of((WorkloadDeployment) body);
            if (staged || applyWhenReady) {
                deployments.forEach(d -> d.staged(true).instantlyApply(applyWhenReady));
            }
            DeployWorkloadsRequest request = body instanceof WorkloadBatch batch
                    ? new DeployWorkloadsRequest(batch) : new DeployWorkloadsRequest((WorkloadDeployment) body);
            String p = place.project.project(cli);
            String c = place.cluster.cluster(cli);
            JsonNode deployed = cli.printer().tree(cli.call(() -> new WorkloadsApi(cli.client()).deployWorkloads(p, c, request)));
            if (deployed.has("items")) {
                List<JsonNode> items = new ArrayList<>();
                deployed.path("items").forEach(items::add);
                cli.printer().list(items, columns(cli));
            } else {
                cli.printer().object(deployed, columns(cli));
            }
            return ExitCode.OK.status();
        }
    }

    @Command(name = "list", aliases = "ls", description = "List a cluster's workloads; -w follows their state changes.",
            footerHeading = "%nExamples:%n",
            footer = {"  edgeplane workloads list -p acme -c store --state running", "  edgeplane workloads list -w -o json"})
    static final class ListWorkloads implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Place place;

        @Option(names = {"-w", "--watch"}, description = "After the list, print each change as it happens (until Ctrl-C or --timeout).")
        boolean watch;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, description = "Stop watching after this long.")
        Duration timeout;

        @Option(names = "--name", paramLabel = "PREFIX", description = "Only workloads whose name starts with PREFIX.")
        String name;

        @Option(names = "--node", paramLabel = "DEVICE", description = "Only workloads on this device.")
        String node;

        @Option(names = "--state", paramLabel = "STATE", description = "Only workloads (or staged versions) in this state: ${COMPLETION-CANDIDATES}.")
        WorkloadState state;

        @Option(names = "--limit", paramLabel = "N", description = "At most N workloads (default: all).")
        Integer limit;

        ListWorkloads(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = place.project.project(cli);
            String c = place.cluster.cluster(cli);
            if (watch) {
                return Watching.follow(cli, ApiPaths.workloads(p, c), this::shown, columns(cli), timeout);
            }
            WorkloadsApi api = new WorkloadsApi(cli.client());
            cli.printer().list(Pages.all(cli, limit, (l, at) -> api.listWorkloads(WorkloadsApi.APIListWorkloadsRequest.newBuilder()
                            .project(p).cluster(c).name(name).state(state).node(node).limit(l).cursor(at).build())),
                    columns(cli));
            return ExitCode.OK.status();
        }

        /** The watch streams the whole cluster; the filters apply here. */
        private boolean shown(JsonNode workload) {
            boolean named = name == null || workload.path("name").asText().startsWith(name);
            boolean onNode = node == null || Column.text(workload.path("nodes")).matches("(^|.*,)" + Pattern.quote(node) + "(,.*|$)");
            boolean inState = state == null || state.getValue().equals(workload.path("state").asText())
                    || state.getValue().equals(workload.path("staged").path("state").asText());
            return named && onNode && inState;
        }
    }

    @Command(name = "get", description = "Show one workload: state per device, warnings, its staged version's pre-pull progress.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane workloads get -p acme -c store hello -o yaml")
    static final class GetWorkload implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Place place;

        @Parameters(paramLabel = "NAME")
        String name;

        GetWorkload(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = place.project.project(cli);
            String c = place.cluster.cluster(cli);
            cli.printer().object(cli.call(() -> new WorkloadsApi(cli.client()).getWorkload(p, c, name)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "apply", description = "Apply the ready staged version of one workload, or of several together (all or none).",
            footerHeading = "%nExamples:%n", footer = {"  edgeplane workloads apply hello", "  edgeplane workloads apply camera detector"})
    static final class ApplyWorkloads implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Place place;

        @Parameters(paramLabel = "NAME", arity = "1..*")
        List<String> names;

        ApplyWorkloads(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = place.project.project(cli);
            String c = place.cluster.cluster(cli);
            WorkloadsApi api = new WorkloadsApi(cli.client());
            if (names.size() == 1) {
                cli.printer().object(cli.call(() -> api.applyWorkload(p, c, names.get(0))), columns(cli));
            } else {
                JsonNode applied = cli.printer().tree(cli.call(() -> api.applyWorkloads(p, c, new ApplyWorkloadsRequest().names(names))));
                List<JsonNode> items = new ArrayList<>();
                applied.path("items").forEach(items::add);
                cli.printer().list(items, columns(cli));
            }
            return ExitCode.OK.status();
        }
    }

    @Command(name = "start", description = "Start a stopped workload.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane workloads start -p acme -c store hello")
    static final class StartWorkload implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Place place;

        @Parameters(paramLabel = "NAME")
        String name;

        StartWorkload(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = place.project.project(cli);
            String c = place.cluster.cluster(cli);
            cli.printer().object(cli.call(() -> new WorkloadsApi(cli.client()).startWorkload(p, c, name)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "stop", description = "Stop a workload; it stays deployed and can be started again.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane workloads stop -p acme -c store hello")
    static final class StopWorkload implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Place place;

        @Parameters(paramLabel = "NAME")
        String name;

        StopWorkload(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = place.project.project(cli);
            String c = place.cluster.cluster(cli);
            cli.printer().object(cli.call(() -> new WorkloadsApi(cli.client()).stopWorkload(p, c, name)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "undeploy", aliases = {"delete", "rm"},
            description = "Undeploy a workload, or with --staged only its staged version.",
            footerHeading = "%nExamples:%n", footer = {"  edgeplane workloads undeploy hello", "  edgeplane workloads undeploy hello --staged"})
    static final class UndeployWorkload implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Place place;

        @Parameters(paramLabel = "NAME")
        String name;

        @Option(names = "--staged", description = "Drop only the staged version; the live one keeps running.")
        boolean staged;

        UndeployWorkload(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = place.project.project(cli);
            String c = place.cluster.cluster(cli);
            cli.printer().object(cli.call(() -> new WorkloadsApi(cli.client()).undeployWorkload(p, c, name, staged ? Boolean.TRUE : null)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "bundle", synopsisSubcommandLabel = "COMMAND",
            description = "Offline bundles: a workload's images and manifests for one device, to import where the WAN is down.",
            subcommands = Bundle.Export.class,
            footerHeading = "%nExamples:%n", footer = "  edgeplane workloads bundle export hello --node till-1 --file hello.tar")
    static final class Bundle extends GroupCommand {

        @Command(name = "export", description = "Write the bundle of the workload's live version for one device (a tar file).",
                footerHeading = "%nExamples:%n",
                footer = {"  edgeplane workloads bundle export -p acme -c store hello --node till-1 --file hello.tar",
                        "  # on the device: edgeplane-import-bundle hello.tar"})
        static final class Export implements Callable<Integer> {
            private final Cli cli;

            @Mixin
            Place place;

            @Parameters(paramLabel = "NAME")
            String name;

            @Option(names = "--node", paramLabel = "DEVICE", description = "The device the bundle is for (needed when the workload runs on several).")
            String node;

            @Option(names = "--file", required = true, paramLabel = "FILE", description = "Where to write the tar.")
            Path file;

            Export(Cli cli) {
                this.cli = cli;
            }

            @Override
            public Integer call() {
                String p = place.project.project(cli);
                String c = place.cluster.cluster(cli);
                File downloaded = cli.call(() -> new WorkloadsApi(cli.client()).exportWorkloadBundle(p, c, name, node));
                try {
                    Files.move(downloaded.toPath(), file, StandardCopyOption.REPLACE_EXISTING);
                } catch (IOException e) {
                    throw new CliFailure(ExitCode.FAILED, "cannot write " + file + ": " + e.getMessage(), e);
                }
                cli.err().println("bundle of " + name + " written to " + file);
                return ExitCode.OK.status();
            }
        }
    }
}
