package io.edgeplane.testbed.device;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Host programs the device sandbox runs, by absolute path: the JVM's PATH may lack the sbin
 * directories, and the same path is valid inside a device, which shares the host's /usr.
 */
public enum HostTool {
    IP("ip", "iproute2"),
    UNSHARE("unshare", "util-linux"),
    NSENTER("nsenter", "util-linux"),
    SSHD("sshd", "openssh-server"),
    SSH_KEYGEN("ssh-keygen", "openssh-client"),
    SSH("ssh", "openssh-client"),
    CP("cp", "coreutils"),
    ENV("env", "coreutils"),
    BASH("bash", "bash"),
    // Used by a device's PID 1, found through its PATH:
    MOUNT("mount", "mount"),
    MOUNTPOINT("mountpoint", "util-linux"),
    HOSTNAME("hostname", "hostname"),
    // Only a site's router needs it: checked when a site is created, not for every device.
    IPTABLES_RESTORE("iptables-restore", "iptables");

    private static final String[] STANDARD_DIRS = {"/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin", "/sbin", "/bin"};

    private final String program;
    private final String debianPackage;

    HostTool(String program, String debianPackage) {
        this.program = program;
        this.debianPackage = debianPackage;
    }

    /** Absolute path of the program, or an exception naming what to install. */
    public String path() {
        String searchPath = Optional.ofNullable(System.getenv("PATH")).orElse("");
        return Stream.concat(Arrays.stream(searchPath.split(":")), Arrays.stream(STANDARD_DIRS))
                .filter(dir -> !dir.isEmpty())
                .map(dir -> Path.of(dir, program))
                .filter(Files::isExecutable)
                .findFirst()
                .map(Path::toString)
                .orElseThrow(() -> new IllegalStateException("the device sandbox needs `" + program
                        + "` (Debian package " + debianPackage + "), which is not installed on this host"));
    }

    /** Fails, naming the missing piece, unless every tool a device needs is installed and the JVM runs as root. */
    static void requireAll() {
        for (HostTool tool : values()) {
            if (tool != IPTABLES_RESTORE) {
                tool.path();
            }
        }
        try {
            boolean root = Files.readAllLines(Path.of("/proc/self/status")).stream()
                    .filter(line -> line.startsWith("Uid:"))
                    .anyMatch(line -> line.split("\\s+")[2].equals("0"));
            if (!root) {
                throw new IllegalStateException("the device sandbox needs root (network namespaces, veths, bridges, "
                        + "mounts); run the tests as root");
            }
        } catch (IOException e) {
            throw new IllegalStateException("the device sandbox needs Linux /proc: " + e.getMessage(), e);
        }
    }
}
