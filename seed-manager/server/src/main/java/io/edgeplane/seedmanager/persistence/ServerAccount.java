package io.edgeplane.seedmanager.persistence;

import com.sun.security.auth.module.UnixSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The operating-system account that runs the PostgreSQL server. PostgreSQL refuses to run as root,
 * so when the seed manager is root the server runs as an unprivileged system user that owns its
 * directory; otherwise it runs as the calling user and nothing changes.
 */
final class ServerAccount {
    private static final Logger LOG = LoggerFactory.getLogger(ServerAccount.class);

    private final String user;

    private ServerAccount(String user) {
        this.user = user;
    }

    static ServerAccount forCurrentProcess(String unprivilegedUser) {
        if (new UnixSystem().getUid() != 0) {
            return new ServerAccount(null);
        }
        ensureSystemUser(unprivilegedUser);
        return new ServerAccount(unprivilegedUser);
    }

    /** Prefix that runs a command as the server account. */
    List<String> commandPrefix() {
        if (user == null) {
            return List.of();
        }
        return List.of("setpriv", "--reuid=" + user, "--regid=" + user, "--init-groups", "--");
    }

    /** Gives the server account its home directory tree and a way to reach it from /. */
    void adopt(Path home) {
        if (user == null) {
            return;
        }
        giveOwnership(home);
        grantTraversal(home.toAbsolutePath().getParent());
    }

    /** Hands a file or tree the seed manager wrote to the server account. */
    void giveOwnership(Path path) {
        if (user != null) {
            Commands.run(List.of("chown", "-R", user + ":" + user, path.toString()), 120);
        }
    }

    /**
     * Directories above the server's own (e.g. /root) are often closed to other users. Search
     * permission (x, not r) lets the server reach its directory without listing anything else.
     */
    private static void grantTraversal(Path dir) {
        for (Path p = dir; p != null; p = p.getParent()) {
            try {
                Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
                if (!perms.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    Set<PosixFilePermission> updated = EnumSet.copyOf(perms);
                    updated.add(PosixFilePermission.OTHERS_EXECUTE);
                    Files.setPosixFilePermissions(p, updated);
                    LOG.warn("granted search permission (o+x) on {} so the PostgreSQL server account can reach its data", p);
                }
            } catch (IOException e) {
                throw new EmbeddedPostgresException("cannot grant search permission on " + p + ": " + e.getMessage(), e);
            }
        }
    }

    private static void ensureSystemUser(String user) {
        try {
            Commands.run(List.of("id", "-u", user), 10);
        } catch (EmbeddedPostgresException missing) {
            LOG.info("creating system user {} to run the embedded PostgreSQL server", user);
            try {
                Commands.run(List.of("useradd", "--system", "--user-group", "--no-create-home",
                        "--home-dir", "/nonexistent", "--shell", "/usr/sbin/nologin", user), 30);
            } catch (EmbeddedPostgresException failed) {
                // Another seed manager on this host may have created it a moment ago.
                Commands.run(List.of("id", "-u", user), 10);
            }
        }
    }
}
