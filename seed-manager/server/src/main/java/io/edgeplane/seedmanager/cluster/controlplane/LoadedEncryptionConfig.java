package io.edgeplane.seedmanager.cluster.controlplane;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Which encryption configuration an apiserver runs, from its /metrics: Kubernetes 1.36 exposes
 * {@code apiserver_encryption_config_controller_last_config_info{apiserver_id_hash,hash="sha256:<hex>"} 1}
 * where the hash is the SHA-256 of the configuration file's bytes (checked against a real v1.36.3
 * apiserver; it is updated by the automatic reload, which polls the file about once a minute).
 */
public final class LoadedEncryptionConfig {
    public static final String METRIC = "apiserver_encryption_config_controller_last_config_info";
    private static final Pattern LINE = Pattern.compile("^" + METRIC + "\\{[^}]*\\bhash=\"(sha256:[0-9a-f]{64})\"[^}]*}\\s+1(\\.0+)?$",
            Pattern.MULTILINE);

    private LoadedEncryptionConfig() {
    }

    /** The hash the metric reports for a configuration file with this content. */
    public static String hashOf(String configuration) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(configuration.getBytes(StandardCharsets.UTF_8));
            return "sha256:" + HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is part of every JRE", e);
        }
    }

    /** The configuration hashes the metric reports as current (one per apiserver answering). */
    public static Set<String> hashes(String metrics) {
        Set<String> hashes = new LinkedHashSet<>();
        Matcher line = LINE.matcher(metrics);
        while (line.find()) {
            hashes.add(line.group(1));
        }
        return hashes;
    }
}
