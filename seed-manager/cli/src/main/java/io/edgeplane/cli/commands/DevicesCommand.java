package io.edgeplane.cli.commands;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.cli.Cli;
import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import io.edgeplane.cli.api.client.MachinedeploymentsApi;
import io.edgeplane.cli.api.model.MachineDeploymentRequest;
import io.edgeplane.cli.api.model.ProvisioningLogLine;
import io.edgeplane.cli.api.model.ProvisioningScriptLinkView;
import io.edgeplane.cli.output.Column;
import io.edgeplane.cli.watch.ServerEvent;
import io.edgeplane.cli.watch.Watch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.atomic.AtomicReference;

@Command(name = "devices", aliases = {"device", "machinedeployments", "md"},
        synopsisSubcommandLabel = "COMMAND",
        description = "Edge devices of a cluster, one MachineDeployment each.",
        subcommands = {DevicesCommand.RegisterDevice.class, DevicesCommand.ListDevices.class, DevicesCommand.GetDevice.class,
                DevicesCommand.DeviceScript.class, DevicesCommand.DeviceScriptLink.class, DevicesCommand.ProvisionDevice.class, DevicesCommand.DeviceLog.class,
                DevicesCommand.CheckDevice.class, DevicesCommand.DeleteDevice.class},
        footerHeading = "%nExamples:%n",
        footer = {
                "  edgeplane devices register -p acme -c store -f till-1.yaml",
                "  edgeplane devices provision -p acme -c store till-1 --follow --wait",
                "  edgeplane devices script -p acme -c store till-2 > provision.sh",
                "  edgeplane devices script-link -p acme -c store till-3 --lifetime 30m",
                "  edgeplane devices check -p acme -c store till-1 --wait",
                "  edgeplane devices list -p acme -c store -w"})
public final class DevicesCommand extends GroupCommand {

    static List<Column> columns(Cli cli) {
        return List.of(
                Column.field("Name", "name"),
                Column.field("Phase", "phase"),
                Column.field("Node", "nodeName"),
                Column.field("Arch", "arch"),
                Column.field("Kubelet", "kubeletVersion").wideOnly(),
                Column.field("Addresses", "addresses").wideOnly(),
                Column.field("Last heartbeat", "lastHeartbeat").wideOnly(),
                Column.field("Message", "message").wideOnly(),
                Column.age("Age", "createdAt", cli.clock()));
    }

    static String status(JsonNode device) {
        String message = device.path("message").asText("");
        return device.path("name").asText() + ": " + device.path("phase").asText() + (message.isEmpty() ? "" : " (" + message + ")");
    }

    /** The project, cluster and device every verb but register and list names. */
    static final class Target {
        @Mixin
        ProjectOption project;

        @Mixin
        ClusterOption cluster;

        @Parameters(index = "0", paramLabel = "NAME", description = "The device (MachineDeployment) name.")
        String name;
    }

    @Command(name = "register", aliases = "create",
            description = {"Register a device from a YAML (or JSON) file: name, os, arch, labels, taints, ssh.",
                    "Unknown fields and malformed files are refused before anything is sent."},
            footerHeading = "%nExamples:%n",
            footer = {
                    "  cat > till-1.yaml <<'YAML'",
                    "  name: till-1",
                    "  os: ubuntu-24.04",
                    "  arch: amd64",
                    "  labels: {site: hamburg}",
                    "  ssh:",
                    "    host: 10.20.0.11",
                    "    user: root",
                    "    hostKeyFingerprint: SHA256:3b0c...",
                    "    credential: {privateKey: '-----BEGIN OPENSSH PRIVATE KEY----- ...'}",
                    "  YAML",
                    "  edgeplane devices register -p acme -c store -f till-1.yaml"})
    static final class RegisterDevice implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Mixin
        ClusterOption cluster;

        @Option(names = {"-f", "--file"}, required = true, paramLabel = "FILE", description = "The device, YAML or JSON ('-' reads stdin).")
        String file;

        RegisterDevice(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            MachineDeploymentRequest request = cli.manifests().read(file, MachineDeploymentRequest.class);
            String p = project.project(cli);
            String c = cluster.cluster(cli);
            cli.printer().object(cli.call(() -> new MachinedeploymentsApi(cli.client()).createMachineDeployment(p, c, request)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "list", aliases = "ls", description = "List a cluster's devices; -w follows their changes.",
            footerHeading = "%nExamples:%n", footer = {"  edgeplane devices list -p acme -c store -o wide", "  edgeplane devices list -w"})
    static final class ListDevices implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        ProjectOption project;

        @Mixin
        ClusterOption cluster;

        @Option(names = {"-w", "--watch"}, description = "After the list, print each change as it happens (until Ctrl-C or --timeout).")
        boolean watch;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, description = "Stop watching after this long.")
        Duration timeout;

        @Option(names = "--limit", paramLabel = "N", description = "At most N devices (default: all).")
        Integer limit;

        ListDevices(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = project.project(cli);
            String c = cluster.cluster(cli);
            if (watch) {
                return Watching.follow(cli, ApiPaths.machineDeployments(p, c), d -> true, columns(cli), timeout);
            }
            MachinedeploymentsApi api = new MachinedeploymentsApi(cli.client());
            cli.printer().list(Pages.all(cli, limit, (l, at) -> api.listMachineDeployments(
                    MachinedeploymentsApi.APIListMachineDeploymentsRequest.newBuilder().project(p).cluster(c).limit(l).cursor(at).build())), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "get", description = "Show one device with its phase and node status.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane devices get -p acme -c store till-1 -o yaml")
    static final class GetDevice implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Target target;

        GetDevice(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = target.project.project(cli);
            String c = target.cluster.cluster(cli);
            cli.printer().object(cli.call(() -> new MachinedeploymentsApi(cli.client()).getMachineDeployment(p, c, target.name)), columns(cli));
            return ExitCode.OK.status();
        }
    }

    @Command(name = "script", description = "Print the provisioning script to run on the device as root (or the deprovisioning one).",
            footerHeading = "%nExamples:%n",
            footer = {"  edgeplane devices script -p acme -c store till-2 > provision.sh",
                    "  scp provision.sh root@till-2: && ssh root@till-2 bash provision.sh"})
    static final class DeviceScript implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Target target;

        @Option(names = "--deprovision", description = "The script that undoes provisioning instead.")
        boolean deprovision;

        DeviceScript(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = target.project.project(cli);
            String c = target.cluster.cluster(cli);
            MachinedeploymentsApi api = new MachinedeploymentsApi(cli.client());
            String script = cli.call(() -> deprovision ? api.getDeprovisioningScript(p, c, target.name) : api.getProvisioningScript(p, c, target.name));
            cli.printer().raw(script);
            return ExitCode.OK.status();
        }
    }

    @Command(name = "script-link",
            description = {"Print a one-line command that provisions the device when pasted into a root shell on it.",
                    "It fetches the script through a one-time link that needs no token (default 15m, at most 24h), with the",
                    "seed manager's CA pinned inside it. -o json or yaml shows the link and its expiry too."},
            footerHeading = "%nExamples:%n",
            footer = {"  edgeplane devices script-link -p acme -c store till-3",
                    "  edgeplane devices script-link till-3 --lifetime 2h -o json"})
    static final class DeviceScriptLink implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Target target;

        @Option(names = "--lifetime", paramLabel = "DURATION", description = "How long the link is valid, e.g. 30m or 2h (default 15m, at most 24h).")
        String lifetime;

        DeviceScriptLink(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = target.project.project(cli);
            String c = target.cluster.cluster(cli);
            ProvisioningScriptLinkView link = cli.call(() -> new MachinedeploymentsApi(cli.client())
                    .createProvisioningScriptLink(p, c, target.name, lifetime));
            switch (cli.printer().format()) {
                case JSON, YAML -> cli.printer().object(link, List.of());
                case TABLE, WIDE -> {
                    cli.printer().raw(link.getCommand());
                    cli.err().println("one use, until " + link.getExpiresAt() + "; run it as root on " + target.name);
                    cli.err().flush();
                }
            }
            return ExitCode.OK.status();
        }
    }

    @Command(name = "provision",
            description = {"Deliver the provisioning script over SSH and run it.",
                    "--follow streams the delivery's output live; --wait waits until the device is Ready."},
            footerHeading = "%nExamples:%n",
            footer = {"  edgeplane devices provision -p acme -c store till-1 --follow",
                    "  edgeplane devices provision till-1 --wait --timeout 15m"})
    static final class ProvisionDevice implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Target target;

        @Option(names = {"-f", "--follow"}, description = "Stream the provisioning log until the delivery ends.")
        boolean follow;

        @Option(names = "--wait", description = "Wait until the device is Ready (its node joined and is healthy).")
        boolean await;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10m",
                description = "How long --follow and --wait wait (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        ProvisionDevice(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = target.project.project(cli);
            String c = target.cluster.cluster(cli);
            Object accepted = cli.call(() -> new MachinedeploymentsApi(cli.client()).provisionMachineDeployment(p, c, target.name));
            if (!follow && !await) {
                cli.printer().object(accepted, columns(cli));
                return ExitCode.OK.status();
            }
            JsonNode device = cli.printer().tree(accepted);
            if (follow) {
                device = DeviceLog.stream(cli, p, c, target.name, timeout);
                cli.err().println(status(device));
            }
            if (await) {
                device = Watching.until(cli, ApiPaths.machineDeployments(p, c), target.name, timeout, d -> switch (d.path("phase").asText()) {
                    case "Ready" -> Watching.Verdict.DONE;
                    case "Failed" -> Watching.Verdict.FAILED;
                    default -> Watching.Verdict.WAIT;
                }, DevicesCommand::status);
            }
            if ("Failed".equals(device.path("phase").asText())) {
                throw new CliFailure(ExitCode.FAILED, "provisioning failed: " + status(device));
            }
            if (!follow) {
                cli.printer().object(device, columns(cli));
            }
            return ExitCode.OK.status();
        }
    }

    @Command(name = "check",
            description = {"Run the device's onboarding check again: new workloads wait for the device until it passes, those it runs stay.",
                    "--wait waits until it passes (a failing check runs again on the device every 30 s) and prints every condition."},
            footerHeading = "%nExamples:%n",
            footer = {"  edgeplane devices check -p acme -c store till-1", "  edgeplane devices check till-1 --wait --timeout 5m"})
    static final class CheckDevice implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Target target;

        @Option(names = "--wait", description = "Wait until the device passes the check.")
        boolean await;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "5m",
                description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        CheckDevice(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = target.project.project(cli);
            String c = target.cluster.cluster(cli);
            Object accepted = cli.call(() -> new MachinedeploymentsApi(cli.client()).checkMachineDeployment(p, c, target.name));
            if (!await) {
                cli.printer().object(accepted, columns(cli));
                return ExitCode.OK.status();
            }
            long request = cli.printer().tree(accepted).path("onboardingRequest").asLong();
            JsonNode device = Watching.until(cli, ApiPaths.machineDeployments(p, c), target.name, timeout,
                    d -> d.path("onboardedRequest").asLong(0) >= request ? Watching.Verdict.DONE : Watching.Verdict.WAIT,
                    DevicesCommand::onboarding);
            for (JsonNode condition : device.path("conditions")) {
                cli.out().println(condition.path("type").asText() + "\t" + condition.path("status").asText() + "\t"
                        + condition.path("message").asText(""));
            }
            return ExitCode.OK.status();
        }
    }

    /** The device's Onboarded condition in one line, for progress while waiting. */
    static String onboarding(JsonNode device) {
        for (JsonNode condition : device.path("conditions")) {
            if ("Onboarded".equals(condition.path("type").asText())) {
                return device.path("name").asText() + ": Onboarded " + condition.path("status").asText() + " ("
                        + condition.path("message").asText("") + ")";
            }
        }
        return device.path("name").asText() + ": not checked yet";
    }

    @Command(name = "log", description = "Print the output of the device's SSH deliveries; -f follows it live.",
            footerHeading = "%nExamples:%n", footer = {"  edgeplane devices log -p acme -c store till-1", "  edgeplane devices log till-1 -f"})
    static final class DeviceLog implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Target target;

        @Option(names = {"-f", "--follow"}, description = "Keep printing lines as they are written, until no delivery is pending.")
        boolean follow;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10m",
                description = "How long --follow waits (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        DeviceLog(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = target.project.project(cli);
            String c = target.cluster.cluster(cli);
            if (follow) {
                stream(cli, p, c, target.name, timeout);
                return ExitCode.OK.status();
            }
            List<ProvisioningLogLine> lines = cli.call(() -> new MachinedeploymentsApi(cli.client()).getProvisioningLog(
                    MachinedeploymentsApi.APIGetProvisioningLogRequest.newBuilder().project(p).cluster(c).name(target.name).build()));
            for (ProvisioningLogLine line : lines) {
                cli.out().println(line.getLine());
            }
            cli.out().flush();
            return ExitCode.OK.status();
        }

        /** Prints each line as the watch delivers it; returns the device as the stream's END carries it. */
        static JsonNode stream(Cli cli, String project, String cluster, String name, Duration timeout) {
            AtomicReference<JsonNode> end = new AtomicReference<>();
            Watch.Outcome outcome = cli.watch().follow(ApiPaths.provisioningLog(project, cluster, name), Map.of(), timeout, event -> {
                if (ServerEvent.LINE.equals(event.type())) {
                    cli.out().println(cli.json(event.data()).path("line").asText());
                    cli.out().flush();
                } else if (ServerEvent.END.equals(event.type())) {
                    end.set(cli.json(event.data()));
                    return false;
                }
                return true;
            });
            if (outcome == Watch.Outcome.TIMED_OUT) {
                throw new CliFailure(ExitCode.TIMEOUT, "the delivery to " + name + " still runs after " + timeout.toSeconds() + " s");
            }
            return end.get();
        }
    }

    @Command(name = "delete", aliases = "rm",
            description = "Deprovision a device: its node is removed, its tokens revoked, the deprovision script run over SSH.",
            footerHeading = "%nExamples:%n", footer = "  edgeplane devices delete -p acme -c store till-1 --wait")
    static final class DeleteDevice implements Callable<Integer> {
        private final Cli cli;

        @Mixin
        Target target;

        @Option(names = "--wait", description = "Wait until it is gone.")
        boolean await;

        @Option(names = "--timeout", paramLabel = "DURATION", converter = DurationConverter.class, defaultValue = "10m",
                description = "How long --wait waits (default: ${DEFAULT-VALUE}).")
        Duration timeout;

        DeleteDevice(Cli cli) {
            this.cli = cli;
        }

        @Override
        public Integer call() {
            String p = target.project.project(cli);
            String c = target.cluster.cluster(cli);
            Object accepted = cli.call(() -> new MachinedeploymentsApi(cli.client()).deleteMachineDeployment(p, c, target.name));
            if (await) {
                Watching.untilGone(cli, ApiPaths.machineDeployments(p, c), target.name, timeout, DevicesCommand::status);
                cli.err().println("device " + target.name + " deleted");
            } else {
                cli.printer().object(accepted, columns(cli));
            }
            return ExitCode.OK.status();
        }
    }
}
