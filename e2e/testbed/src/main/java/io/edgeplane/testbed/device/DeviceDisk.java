package io.edgeplane.testbed.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;

/**
 * The device's own writable directories, kept on the host under the device directory and
 * bind-mounted over the same paths inside the device; the rest of the file system (/usr, /bin,
 * /lib, ...) is the host's. /etc starts as a copy of the host's, so users, CA certificates and
 * resolv.conf exist; the others start as on a freshly installed machine.
 */
final class DeviceDisk {
    /** Mounted in this order; tmp last, because the directories themselves live under the host's /tmp. */
    static final List<String> PRIVATE_DIRS = List.of("etc", "var", "root", "home", "opt", "usr/local", "run", "tmp");
    static final String SSH_HOST_KEY = "etc/ssh/ssh_host_ed25519_key";

    private final Path root;

    DeviceDisk(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Where a path inside the device lives on the host; only the device's private directories have one. */
    Path hostPath(String devicePath) {
        Path path = Path.of(devicePath).normalize();
        for (String dir : PRIVATE_DIRS) {
            Path mountPoint = Path.of("/", dir);
            if (path.startsWith(mountPoint)) {
                return root.resolve(dir).resolve(mountPoint.relativize(path).toString());
            }
        }
        throw new IllegalArgumentException(devicePath + " is not in a private directory of the device " + PRIVATE_DIRS
                + "; it is the host's");
    }

    /** Lays out a freshly installed machine named {@code hostname} whose root accepts {@code authorizedKey}. */
    HostKey install(String hostname, String address, String authorizedKey) {
        try {
            Files.createDirectories(root.resolve("usr"));
            HostCommand.check(HostTool.CP.path(), "-a", "/etc", root.resolve("etc").toString());
            for (String dir : List.of("var/cache", "var/lib", "var/local", "var/log", "var/mail", "var/opt", "var/spool",
                    "var/backups", "home", "opt", "usr/local/bin", "usr/local/etc", "usr/local/games", "usr/local/include",
                    "usr/local/lib", "usr/local/sbin", "usr/local/share", "usr/local/src", "run", "tmp")) {
                Files.createDirectories(root.resolve(dir));
            }
            mode(root.resolve("tmp"), 01777);
            Files.createDirectories(root.resolve("var/tmp"));
            mode(root.resolve("var/tmp"), 01777);
            Files.createSymbolicLink(root.resolve("var/run"), Path.of("/run"));
            Files.createSymbolicLink(root.resolve("var/lock"), Path.of("/run/lock"));
            Files.createSymbolicLink(root.resolve("usr/local/man"), Path.of("share/man"));
            installEtc(hostname, address);
            installRoot(authorizedKey);
            return HostKey.generate(root.resolve(SSH_HOST_KEY), "root@" + hostname);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot lay out the disk of device " + hostname + " in " + root, e);
        }
    }

    /** Empties /run and /tmp, as booting a machine does. */
    void clearVolatile() {
        try {
            for (String dir : List.of("run", "tmp")) {
                try (Stream<Path> entries = Files.list(root.resolve(dir))) {
                    for (Path entry : entries.toList()) {
                        Directories.delete(entry);
                    }
                }
            }
            // sshd's privilege separation directory; /run/lock as Debian's tmpfiles.d creates it.
            Files.createDirectories(root.resolve("run/sshd"));
            mode(root.resolve("run/sshd"), 0755);
            Files.createDirectories(root.resolve("run/lock"));
            mode(root.resolve("run/lock"), 01777);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void installEtc(String hostname, String address) throws IOException {
        Path etc = root.resolve("etc");
        Files.writeString(etc.resolve("hostname"), hostname + "\n");
        // The name resolves to the device address (not 127.0.1.1), so that a kubelet picks it as the node IP.
        Files.writeString(etc.resolve("hosts"), "127.0.0.1 localhost\n" + address + " " + hostname + "\n"
                + "::1 localhost ip6-localhost ip6-loopback\nff02::1 ip6-allnodes\nff02::2 ip6-allrouters\n");
        Path machineId = etc.resolve("machine-id");
        Files.deleteIfExists(machineId);
        Files.writeString(machineId, HexFormat.of().formatHex(randomBytes(16)) + "\n");
        Path resolvConf = etc.resolve("resolv.conf");
        if (Files.isSymbolicLink(resolvConf)) {
            // A link into the host's /run (systemd-resolved) would dangle under the device's own /run.
            Files.delete(resolvConf);
            Files.copy(Path.of("/etc/resolv.conf"), resolvConf, StandardCopyOption.REPLACE_EXISTING);
        }
        Path ssh = etc.resolve("ssh");
        Files.createDirectories(ssh.resolve("sshd_config.d"));
        try (Stream<Path> files = Stream.concat(Files.list(ssh), Files.list(ssh.resolve("sshd_config.d")))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.startsWith("ssh_host_") || file.getParent().endsWith("sshd_config.d")) {
                    Files.delete(file);
                }
            }
        }
        Files.writeString(ssh.resolve("sshd_config"), """
                # Written by the Edgeplane test bed: this device's sshd, on the device's address only.
                Include /etc/ssh/sshd_config.d/*.conf
                ListenAddress %s:22
                HostKey /etc/ssh/ssh_host_ed25519_key
                PermitRootLogin prohibit-password
                PubkeyAuthentication yes
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                # No PAM: pam_loginuid and pam_systemd expect a login manager the sandbox does not have.
                UsePAM no
                PidFile /run/sshd.pid
                PrintMotd no
                AcceptEnv LANG LC_*
                Subsystem sftp /usr/lib/openssh/sftp-server
                """.formatted(address));
    }

    private void installRoot(String authorizedKey) throws IOException {
        Path home = root.resolve("root");
        Files.createDirectories(home.resolve(".ssh"));
        for (String profile : List.of(".bashrc", ".profile")) {
            Path skeleton = Path.of("/etc/skel", profile);
            if (Files.isRegularFile(skeleton, LinkOption.NOFOLLOW_LINKS)) {
                Files.copy(skeleton, home.resolve(profile));
            }
        }
        Path authorizedKeys = home.resolve(".ssh/authorized_keys");
        Files.writeString(authorizedKeys, authorizedKey + "\n");
        mode(home, 0700);
        mode(home.resolve(".ssh"), 0700);
        mode(authorizedKeys, 0600);
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }

    /** Octal mode, sticky bit included (which PosixFilePermissions cannot express). */
    private static void mode(Path path, int mode) throws IOException {
        Files.setAttribute(path, "unix:mode", mode, LinkOption.NOFOLLOW_LINKS);
    }
}
