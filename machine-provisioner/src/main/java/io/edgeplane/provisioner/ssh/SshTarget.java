package io.edgeplane.provisioner.ssh;

import java.util.Objects;

/**
 * Where and as whom a script is delivered, and which host key the device must present. Exactly one
 * of {@code hostKeyFingerprint} ({@code SHA256:<base64 without padding>}, as {@code ssh-keygen -lf}
 * prints it) or {@code knownHosts} (known_hosts lines) is set. {@link SshTargets#problems} explains
 * everything else that is wrong with a target; this constructor only refuses what no caller can mean.
 */
public record SshTarget(String host, int port, String user, String hostKeyFingerprint, String knownHosts,
                        SshCredential credential) {
    public static final int DEFAULT_PORT = 22;

    public SshTarget {
        Objects.requireNonNull(host, "host");
        Objects.requireNonNull(user, "user");
        Objects.requireNonNull(credential, "credential");
        if (port < 1 || port > 65535) {
            throw new IllegalArgumentException("port must be 1..65535, not " + port);
        }
        if ((hostKeyFingerprint == null) == (knownHosts == null)) {
            throw new IllegalArgumentException("exactly one of hostKeyFingerprint or knownHosts must be set");
        }
    }

    /** A target that accepts only the host key with this fingerprint. */
    public static SshTarget pinned(String host, int port, String user, String hostKeyFingerprint, SshCredential credential) {
        return new SshTarget(host, port, user, hostKeyFingerprint, null, credential);
    }

    /** A target that accepts the host keys that these known_hosts lines list for {@code host} and {@code port}. */
    public static SshTarget withKnownHosts(String host, int port, String user, String knownHosts, SshCredential credential) {
        return new SshTarget(host, port, user, null, knownHosts, credential);
    }

    public boolean isRoot() {
        return user.equals("root");
    }

    /** {@code user@host:port}, for log lines and messages. */
    public String address() {
        return user + "@" + (host.contains(":") ? "[" + host + "]" : host) + ":" + port;
    }

    @Override
    public String toString() {
        return "SshTarget[" + address() + ", " + (hostKeyFingerprint != null ? "hostKeyFingerprint=" + hostKeyFingerprint
                : "knownHosts=" + knownHosts.lines().count() + " lines") + ", credential=" + credential + "]";
    }
}
