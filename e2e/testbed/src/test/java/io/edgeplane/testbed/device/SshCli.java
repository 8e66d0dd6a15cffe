package io.edgeplane.testbed.device;

import io.edgeplane.testbed.TestBedRun;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The OpenSSH client as an operator would use it: root, the run's key, strict checking against one pinned host key. */
final class SshCli {
    private SshCli() {
    }

    static CommandResult run(Device device, String pinnedHostKey, String... remoteCommand) {
        try {
            Path knownHosts = Files.createTempFile(TestBedRun.current().dir(), "known_hosts-", "");
            Files.writeString(knownHosts, device.address() + " " + pinnedHostKey + "\n");
            List<String> argv = new ArrayList<>(List.of(HostTool.SSH.path(), "-F", "none",
                    "-i", device.sshPrivateKey().toString(), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes",
                    "-o", "StrictHostKeyChecking=yes", "-o", "UserKnownHostsFile=" + knownHosts,
                    "-o", "GlobalKnownHostsFile=/dev/null", "-o", "ConnectTimeout=3", "-o", "LogLevel=ERROR",
                    "-p", Integer.toString(Device.SSH_PORT), "root@" + device.address(), "--"));
            argv.addAll(List.of(remoteCommand));
            return HostCommand.run(argv, Duration.ofSeconds(20));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
