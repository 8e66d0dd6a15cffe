package io.edgeplane.testbed;

import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.HostCommand;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * What a test could change on the host, recorded and compared by bootstrap-scripts/host-state.sh
 * (the same check the test command runs around the whole suite): firewall, kernel settings, mounts,
 * interfaces, routes, modules, users, directory modes, orphaned processes, entries in /run and /var/lib.
 */
public final class HostState {
    private static final Duration TIMEOUT = Duration.ofMinutes(1);

    private final Path snapshot;

    private HostState(Path snapshot) {
        this.snapshot = snapshot;
    }

    /** Records the host now. */
    public static HostState save() {
        Path snapshot = TestBedRun.current().newDir("host-state").resolve("snapshot");
        run("save", snapshot.toString());
        return new HostState(snapshot);
    }

    /** The differences between then and now, in the sections named (all when none), one line each; empty if none. */
    public String differences(String... sections) {
        List<String> args = new ArrayList<>(List.of("compare", snapshot.toString()));
        args.addAll(List.of(sections));
        CommandResult result = run(args.toArray(String[]::new));
        return result.succeeded() ? "" : result.stdout().strip();
    }

    private static CommandResult run(String... args) {
        Path scripts = BootstrapScripts.extract();
        try {
            List<String> command = new ArrayList<>(List.of("bash", scripts.resolve("host-state.sh").toString()));
            command.addAll(List.of(args));
            CommandResult result = HostCommand.run(command, TIMEOUT);
            if (!result.succeeded() && !args[0].equals("compare")) {
                throw new IllegalStateException("host-state.sh " + String.join(" ", args) + " failed: " + result.stderr());
            }
            return result;
        } finally {
            BootstrapScripts.delete(scripts);
        }
    }
}
