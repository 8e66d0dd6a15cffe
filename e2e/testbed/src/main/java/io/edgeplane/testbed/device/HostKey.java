package io.edgeplane.testbed.device;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/** A public SSH key as OpenSSH writes it, e.g. a device's sshd host key, which callers pin. */
record HostKey(String type, String base64) {

    /** Generates an ed25519 key pair at {@code privateKey} (public half beside it, {@code .pub}). */
    static HostKey generate(Path privateKey, String comment) {
        HostCommand.check(HostTool.SSH_KEYGEN.path(), "-q", "-t", "ed25519", "-N", "", "-C", comment,
                "-f", privateKey.toString());
        return read(Path.of(privateKey + ".pub"));
    }

    static HostKey read(Path publicKeyFile) {
        try {
            String[] fields = Files.readString(publicKeyFile).strip().split("\\s+");
            return new HostKey(fields[0], fields[1]);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code <type> <base64>}, the form known_hosts and authorized_keys entries use. */
    String publicKey() {
        return type + " " + base64;
    }

    /** {@code SHA256:...} exactly as {@code ssh-keygen -lf} prints it. */
    String fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(Base64.getDecoder().decode(base64));
            return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
