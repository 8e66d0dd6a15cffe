package io.edgeplane.provisioner.ssh;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Validation of SSH targets as an operator submits them, so that the API can refuse bad input with
 * a field path before anything is stored. Keys and known_hosts lines are parsed for real. No message
 * quotes a secret.
 */
public final class SshTargets {
    public static final String HOST = "host";
    public static final String PORT = "port";
    public static final String USER = "user";
    public static final String HOST_KEY_FINGERPRINT = "hostKeyFingerprint";
    public static final String KNOWN_HOSTS = "knownHosts";
    public static final String CREDENTIAL = "credential";
    public static final String PRIVATE_KEY = "credential.privateKey";
    public static final String PASSPHRASE = "credential.passphrase";
    public static final String PASSWORD = "credential.password";

    private static final Pattern HOST_NAME = Pattern.compile(
            "(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*\\.?");
    private static final Pattern IPV4_SHAPE = Pattern.compile("[0-9.]+");
    private static final Pattern IPV6_LITERAL = Pattern.compile("[0-9A-Fa-f:.]+");
    /** What useradd accepts on Debian and Ubuntu by default, and no shell or ssh metacharacter. */
    private static final Pattern USER_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,31}");

    private SshTargets() {
    }

    /** The problems of a target already built, e.g. one read back from storage. */
    public static List<SshTargetProblem> problems(SshTarget target) {
        String privateKey = null;
        String passphrase = null;
        String password = null;
        if (target.credential() instanceof SshCredential.PrivateKey key) {
            privateKey = key.pem();
            passphrase = key.passphrase();
        } else if (target.credential() instanceof SshCredential.Password secret) {
            password = secret.password();
        }
        return problems(target.host(), target.port(), target.user(), target.hostKeyFingerprint(), target.knownHosts(),
                privateKey, passphrase, password);
    }

    /**
     * Everything wrong with a submitted target, each with the field it is about; empty when a
     * delivery can be attempted. Nullable arguments are the optional fields.
     */
    public static List<SshTargetProblem> problems(String host, int port, String user, String hostKeyFingerprint,
                                                  String knownHosts, String privateKeyPem, String passphrase,
                                                  String password) {
        List<SshTargetProblem> problems = new ArrayList<>();
        String hostProblem = hostProblem(host);
        if (hostProblem != null) {
            problems.add(new SshTargetProblem(HOST, hostProblem));
        }
        if (port < 1 || port > 65535) {
            problems.add(new SshTargetProblem(PORT, "must be 1..65535"));
        }
        if (user == null || user.isBlank()) {
            problems.add(new SshTargetProblem(USER, "must not be empty"));
        } else if (!USER_NAME.matcher(user).matches()) {
            problems.add(new SshTargetProblem(USER, "must be a user name: letters, digits, '_', '.', '-', at most 32 characters"));
        }
        hostKeyProblems(problems, hostProblem == null ? host : null, port, hostKeyFingerprint, knownHosts);
        credentialProblems(problems, privateKeyPem, passphrase, password);
        return List.copyOf(problems);
    }

    private static String hostProblem(String host) {
        if (host == null || host.isBlank()) {
            return "must not be empty";
        }
        if (host.contains(":")) {
            if (!IPV6_LITERAL.matcher(host).matches()) {
                return "must be a host name or an IP address (IPv6 without brackets)";
            }
            try {
                InetAddress.getByName(host); // a literal: parsed, never looked up
                return null;
            } catch (UnknownHostException e) {
                return "is not a valid IPv6 address";
            }
        }
        if (IPV4_SHAPE.matcher(host).matches()) {
            String[] octets = host.split("\\.", -1);
            boolean valid = octets.length == 4;
            for (String octet : octets) {
                valid &= !octet.isEmpty() && octet.length() <= 3 && Integer.parseInt(octet) <= 255;
            }
            return valid ? null : "is not a valid IPv4 address";
        }
        return HOST_NAME.matcher(host).matches() ? null : "must be a host name (letters, digits, '-', '.') or an IP address";
    }

    private static void hostKeyProblems(List<SshTargetProblem> problems, String validHost, int port, String fingerprint,
                                        String knownHosts) {
        boolean hasFingerprint = fingerprint != null && !fingerprint.isBlank();
        boolean hasKnownHosts = knownHosts != null && !knownHosts.isBlank();
        if (hasFingerprint && hasKnownHosts) {
            problems.add(new SshTargetProblem(HOST_KEY_FINGERPRINT, "give either hostKeyFingerprint or knownHosts, not both"));
            return;
        }
        if (!hasFingerprint && !hasKnownHosts) {
            problems.add(new SshTargetProblem(HOST_KEY_FINGERPRINT, "the device's host key must be pinned: give "
                    + "hostKeyFingerprint (`ssh-keygen -lf /etc/ssh/ssh_host_ed25519_key.pub` on the device) or knownHosts"));
            return;
        }
        if (hasFingerprint) {
            Fingerprints.problem(fingerprint).ifPresent(message -> problems.add(new SshTargetProblem(HOST_KEY_FINGERPRINT, message)));
            return;
        }
        KnownHosts parsed = KnownHosts.parse(knownHosts);
        parsed.problems().forEach(problem -> problems.add(new SshTargetProblem(KNOWN_HOSTS, problem.toString())));
        if (parsed.problems().isEmpty() && validHost != null && port >= 1 && port <= 65535) {
            boolean listed = parsed.entriesFor(validHost, port).stream().anyMatch(entry -> !entry.revoked());
            if (!listed) {
                problems.add(new SshTargetProblem(KNOWN_HOSTS, "no line lists a key for " + KnownHosts.hostName(validHost, port)
                        + (port == SshTarget.DEFAULT_PORT ? "" : " (the form for a port other than 22)")));
            }
        }
    }

    private static void credentialProblems(List<SshTargetProblem> problems, String privateKey, String passphrase,
                                           String password) {
        boolean hasKey = privateKey != null && !privateKey.isBlank();
        boolean hasPassword = password != null;
        if (hasKey && hasPassword) {
            problems.add(new SshTargetProblem(CREDENTIAL, "give either a private key or a password, not both"));
            return;
        }
        if (!hasKey && !hasPassword) {
            problems.add(new SshTargetProblem(CREDENTIAL, "a private key or a password is required"));
            return;
        }
        if (hasPassword) {
            if (password.isEmpty()) {
                problems.add(new SshTargetProblem(PASSWORD, "must not be empty"));
            }
            if (passphrase != null) {
                problems.add(new SshTargetProblem(PASSPHRASE, "only a private key has a passphrase"));
            }
            return;
        }
        try {
            PrivateKeys.read(privateKey, passphrase);
        } catch (PrivateKeys.UnreadableKeyException e) {
            problems.add(new SshTargetProblem(e.passphrase() ? PASSPHRASE : PRIVATE_KEY, e.getMessage()));
        }
    }
}
