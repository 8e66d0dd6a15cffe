package io.edgeplane.seedmanager.workload.bundle;

import io.edgeplane.seedmanager.app.ImageReference;
import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import io.edgeplane.seedmanager.workload.kube.WorkloadStaticPodBuilder;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Writes an offline bundle: a tar of {@code bundle.env} (shell-safe KEY=VALUE lines),
 * {@code pod.yaml} (the static pod), {@code app.yaml} (the configuration), {@code images/<n>.tar}
 * (one OCI image layout per image, n from 1), {@code SHA256SUMS} (sha256sum format, every other
 * file) and {@code SHA256SUMS.sig} (SHA-256 signature over SHA256SUMS with the cluster CA's key,
 * DER, as {@code openssl dgst -sha256 -verify} checks it). Streams: only checksums are kept in memory.
 */
public final class BundleWriter {
    public static final int FORMAT = 1;
    private static final Pattern SHELL_SAFE = Pattern.compile("[A-Za-z0-9._:/@+=-]*");

    /** One image of the bundle: its reference, the manifest digest containerd will show, and its layout tar. */
    public record Image(ImageReference reference, String manifestDigest, Path layoutTar) {
    }

    /**
     * @param cluster       {@code project/cluster}, shown to the operator when a device refuses the bundle
     * @param caCertificate the cluster CA certificate (its DER SHA-256 ties the bundle to the cluster)
     * @param caKey         the cluster CA's private key, which signs SHA256SUMS
     */
    public record Contents(String cluster, X509Certificate caCertificate, PrivateKey caKey, String workload, String node,
                           WorkloadSpec spec, Instant created, List<Image> images) {
    }

    private BundleWriter() {
    }

    /** The file name operators get: {@code <workload>-<cluster>-<node>.tar}. */
    public static String fileName(String workload, String cluster, String node) {
        return workload + "-" + cluster + "-" + node + ".tar";
    }

    public static void write(Contents contents, OutputStream target) throws IOException {
        Instant mtime = contents.created().truncatedTo(ChronoUnit.SECONDS);
        Map<String, String> sums = new LinkedHashMap<>();
        TarArchiveOutputStream tar = new TarArchiveOutputStream(new NonClosing(target), StandardCharsets.UTF_8.name());
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        sums.put("bundle.env", bytes(tar, "bundle.env", env(contents).getBytes(StandardCharsets.UTF_8), mtime));
        sums.put("pod.yaml", bytes(tar, "pod.yaml", WorkloadStaticPodBuilder.yaml(contents.workload(), contents.spec(), contents.node())
                .getBytes(StandardCharsets.UTF_8), mtime));
        sums.put("app.yaml", bytes(tar, "app.yaml", WorkloadSpecs.configurationFile(contents.spec()).getBytes(StandardCharsets.UTF_8), mtime));
        for (int i = 0; i < contents.images().size(); i++) {
            String name = "images/" + (i + 1) + ".tar";
            sums.put(name, file(tar, name, contents.images().get(i).layoutTar(), mtime));
        }
        StringBuilder sumsFile = new StringBuilder();
        sums.forEach((name, sum) -> sumsFile.append(sum).append("  ").append(name).append('\n'));
        byte[] sumsBytes = sumsFile.toString().getBytes(StandardCharsets.US_ASCII);
        bytes(tar, "SHA256SUMS", sumsBytes, mtime);
        bytes(tar, "SHA256SUMS.sig", sign(contents.caKey(), sumsBytes), mtime);
        tar.finish();
        tar.flush();
    }

    /** bundle.env: values checked to need no quoting, so the device can parse it without a shell. */
    static String env(Contents contents) {
        Map<String, String> env = new LinkedHashMap<>();
        env.put("BUNDLE_FORMAT", Integer.toString(FORMAT));
        env.put("CLUSTER", contents.cluster());
        env.put("CLUSTER_CA_SHA256", caSha256(contents.caCertificate()));
        env.put("WORKLOAD", contents.workload());
        env.put("NODE", contents.node());
        env.put("SPEC_HASH", WorkloadSpecs.hash(contents.spec()));
        env.put("VERSION", contents.spec().appVersion());
        env.put("CREATED", contents.created().truncatedTo(ChronoUnit.SECONDS).toString());
        env.put("IMAGES", Integer.toString(contents.images().size()));
        for (int i = 0; i < contents.images().size(); i++) {
            Image image = contents.images().get(i);
            env.put("IMAGE_" + (i + 1), image.reference().fullName());
            env.put("IMAGE_" + (i + 1) + "_DIGEST", image.manifestDigest());
        }
        StringBuilder out = new StringBuilder();
        env.forEach((key, value) -> {
            if (!SHELL_SAFE.matcher(value).matches()) {
                throw new IllegalArgumentException("bundle.env value of " + key + " is not shell-safe: " + value);
            }
            out.append(key).append('=').append(value).append('\n');
        });
        return out.toString();
    }

    /** Hex SHA-256 of the certificate's DER encoding, as {@code openssl x509 -outform DER | sha256sum} prints it. */
    public static String caSha256(X509Certificate certificate) {
        try {
            return HexFormat.of().formatHex(RegistryReader.sha256().digest(certificate.getEncoded()));
        } catch (CertificateEncodingException e) {
            throw new IllegalArgumentException("cannot encode the cluster CA certificate", e);
        }
    }

    static byte[] sign(PrivateKey key, byte[] data) {
        String algorithm = switch (key.getAlgorithm()) {
            case "EC" -> "SHA256withECDSA";
            case "RSA" -> "SHA256withRSA";
            default -> throw new IllegalArgumentException("cannot sign bundles with a " + key.getAlgorithm() + " key");
        };
        try {
            Signature signature = Signature.getInstance(algorithm);
            signature.initSign(key);
            signature.update(data);
            return signature.sign();
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("cannot sign the bundle", e);
        }
    }

    private static String bytes(TarArchiveOutputStream tar, String name, byte[] content, Instant mtime) throws IOException {
        tar.putArchiveEntry(entry(name, content.length, mtime));
        tar.write(content);
        tar.closeArchiveEntry();
        return HexFormat.of().formatHex(RegistryReader.sha256().digest(content));
    }

    private static String file(TarArchiveOutputStream tar, String name, Path file, Instant mtime) throws IOException {
        tar.putArchiveEntry(entry(name, Files.size(file), mtime));
        MessageDigest sha = RegistryReader.sha256();
        try (InputStream in = Files.newInputStream(file)) {
            byte[] buffer = new byte[64 * 1024];
            for (int n; (n = in.read(buffer)) >= 0; ) {
                sha.update(buffer, 0, n);
                tar.write(buffer, 0, n);
            }
        }
        tar.closeArchiveEntry();
        return HexFormat.of().formatHex(sha.digest());
    }

    private static TarArchiveEntry entry(String name, long size, Instant mtime) {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100644);
        entry.setSize(size);
        entry.setModTime(Date.from(mtime));
        return entry;
    }

    /** The caller owns the target stream (e.g. an HTTP response): finishing the tar must not close it. */
    private static final class NonClosing extends java.io.FilterOutputStream {
        NonClosing(OutputStream out) {
            super(out);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            out.write(b, off, len);
        }

        @Override
        public void close() throws IOException {
            flush();
        }
    }
}
