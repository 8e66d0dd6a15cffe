package io.edgeplane.provisioner.ssh;

import org.apache.sshd.common.SshException;
import org.apache.sshd.common.util.buffer.ByteArrayBuffer;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * known_hosts lines as OpenSSH reads them: comma-separated host patterns with {@code *}, {@code ?}
 * and {@code !} negation, {@code [host]:port} for other ports than 22, hashed names
 * ({@code |1|salt|hmac}, as {@code ssh-keygen -H} writes them) and {@code @revoked} keys. Host
 * certificates ({@code @cert-authority}) are not supported and reported as a problem. Parsed here
 * rather than by SSHD's reader, whose hashed-name matching ignores the port.
 */
final class KnownHosts {
    private static final String CERTIFICATE_SUFFIX = "-cert-v01@openssh.com";

    /** One key line; {@code patterns} is empty for a hashed name. */
    record Entry(int lineNumber, boolean revoked, List<String> patterns, HashedName hashedName, String keyType,
                 String fingerprint) {

        /** Whether this line names {@code host} on {@code port}, as OpenSSH decides it. */
        boolean matches(String host, int port) {
            String name = hostName(host, port);
            if (hashedName != null) {
                return hashedName.matches(name);
            }
            boolean matched = false;
            for (String pattern : patterns) {
                boolean negated = pattern.startsWith("!");
                if (glob(negated ? pattern.substring(1) : pattern).matcher(name).matches()) {
                    if (negated) {
                        return false;
                    }
                    matched = true;
                }
            }
            return matched;
        }
    }

    /** A line that cannot be used; {@code lineNumber} counts from 1. */
    record Problem(int lineNumber, String message) {
        @Override
        public String toString() {
            return "line " + lineNumber + ": " + message;
        }
    }

    /** {@code |1|<base64 salt>|<base64 HMAC-SHA1 of the name keyed with the salt>}. */
    record HashedName(byte[] salt, byte[] hmac) {
        boolean matches(String name) {
            return MessageDigest.isEqual(hmac, hmacSha1(salt, name));
        }
    }

    private final List<Entry> entries;
    private final List<Problem> problems;

    private KnownHosts(List<Entry> entries, List<Problem> problems) {
        this.entries = List.copyOf(entries);
        this.problems = List.copyOf(problems);
    }

    static KnownHosts parse(String text) {
        List<Entry> entries = new ArrayList<>();
        List<Problem> problems = new ArrayList<>();
        List<String> lines = text.lines().toList();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            try {
                entries.add(parseLine(i + 1, line));
            } catch (IllegalArgumentException e) {
                problems.add(new Problem(i + 1, e.getMessage()));
            }
        }
        return new KnownHosts(entries, problems);
    }

    List<Entry> entries() {
        return entries;
    }

    List<Problem> problems() {
        return problems;
    }

    /** The lines that name {@code host} on {@code port}, in file order. */
    List<Entry> entriesFor(String host, int port) {
        return entries.stream().filter(entry -> entry.matches(host, port)).toList();
    }

    /** The name OpenSSH looks up: {@code host} on port 22, {@code [host]:port} otherwise. */
    static String hostName(String host, int port) {
        String name = host.toLowerCase(Locale.ROOT);
        return port == SshTarget.DEFAULT_PORT ? name : "[" + name + "]:" + port;
    }

    private static Entry parseLine(int lineNumber, String line) {
        String[] fields = line.split("\\s+");
        int next = 0;
        boolean revoked = false;
        if (fields[0].startsWith("@")) {
            switch (fields[0]) {
                case "@revoked" -> revoked = true;
                case "@cert-authority" -> throw new IllegalArgumentException(
                        "@cert-authority (host certificates) is not supported; list the device's host key itself");
                default -> throw new IllegalArgumentException("unknown marker " + fields[0] + " (only @revoked is supported)");
            }
            next = 1;
        }
        if (fields.length < next + 3) {
            throw new IllegalArgumentException("expected `[@revoked] <hosts> <key type> <base64 key> [comment]`");
        }
        String hosts = fields[next];
        String keyType = fields[next + 1];
        byte[] blob = decodeKey(keyType, fields[next + 2]);
        if (hosts.startsWith("|")) {
            return new Entry(lineNumber, revoked, List.of(), parseHashedName(hosts), keyType, Fingerprints.ofBlob(blob));
        }
        List<String> patterns = Arrays.stream(hosts.split(",")).map(p -> p.toLowerCase(Locale.ROOT)).toList();
        if (patterns.stream().anyMatch(p -> p.isEmpty() || p.equals("!"))) {
            throw new IllegalArgumentException("empty host pattern in `" + hosts + "`");
        }
        return new Entry(lineNumber, revoked, patterns, null, keyType, Fingerprints.ofBlob(blob));
    }

    /** The key in the SSH wire encoding, once it is known to be a valid public key of the stated type. */
    private static byte[] decodeKey(String keyType, String base64) {
        if (keyType.endsWith(CERTIFICATE_SUFFIX)) {
            throw new IllegalArgumentException("certificate keys (" + keyType + ") are not supported; list the plain host key");
        }
        byte[] blob;
        try {
            blob = Base64.getDecoder().decode(base64);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the key is not valid base64");
        }
        String blobType = leadingString(blob);
        if (!keyType.equals(blobType)) {
            throw new IllegalArgumentException("the line says " + keyType + " but the key is "
                    + (blobType == null ? "not an SSH public key" : blobType));
        }
        try {
            new ByteArrayBuffer(blob).getRawPublicKey();
        } catch (RuntimeException | SshException e) {
            throw new IllegalArgumentException("not a valid " + keyType + " public key (or a type this server does not support)");
        }
        return blob;
    }

    /** The key type that starts every SSH public key blob (a uint32 length and ASCII), or null. */
    private static String leadingString(byte[] blob) {
        if (blob.length < 4) {
            return null;
        }
        int length = ByteBuffer.wrap(blob, 0, 4).getInt();
        if (length <= 0 || length > 64 || blob.length < 4 + length) {
            return null;
        }
        return new String(blob, 4, length, StandardCharsets.US_ASCII);
    }

    private static HashedName parseHashedName(String field) {
        String[] parts = field.split("\\|", -1);
        if (parts.length != 4 || !parts[0].isEmpty() || !parts[1].equals("1")) {
            throw new IllegalArgumentException("a hashed host name must look like |1|<salt>|<hash>");
        }
        byte[] salt;
        byte[] hmac;
        try {
            salt = Base64.getDecoder().decode(parts[2]);
            hmac = Base64.getDecoder().decode(parts[3]);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("the hashed host name is not valid base64");
        }
        if (hmac.length != 20) {
            throw new IllegalArgumentException("the hash of a hashed host name must be 20 bytes (HMAC-SHA1)");
        }
        return new HashedName(salt, hmac);
    }

    private static byte[] hmacSha1(byte[] salt, String name) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(salt, "HmacSHA1"));
            return mac.doFinal(name.getBytes(StandardCharsets.UTF_8));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("every Java runtime has HmacSHA1", e);
        }
    }

    /** An OpenSSH pattern ({@code *} any run, {@code ?} one character) as a regex; names are compared lower-case. */
    private static Pattern glob(String pattern) {
        StringBuilder regex = new StringBuilder();
        for (char c : pattern.toCharArray()) {
            switch (c) {
                case '*' -> regex.append(".*");
                case '?' -> regex.append('.');
                default -> regex.append(Pattern.quote(String.valueOf(c)));
            }
        }
        return Pattern.compile(regex.toString());
    }
}
