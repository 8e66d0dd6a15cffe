package io.edgeplane.imagebase;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestOutputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorOutputStream;
import org.apache.commons.compress.compressors.gzip.GzipParameters;

/**
 * A one-layer image in {@code docker save} format ({@code manifest.json}, the config named by its
 * digest, the gzipped layer): the format Jib reads from a {@code tar://} base image (it reads no OCI
 * layout there). Every byte is a function of the tree and the config fields.
 */
public final class DockerArchive {

    static final String CREATED = "1970-01-01T00:00:01Z";
    // Keys sorted: Map.of iterates in a per-JVM random order, and the config's digest names the image.
    private static final ObjectMapper JSON = new ObjectMapper()
            .configure(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS, true);

    /** What goes into the image config besides the layer. */
    public record ImageConfig(String architecture, List<String> env, Map<String, String> labels, String repoTag) {
    }

    private DockerArchive() {
    }

    /** Writes the layer into {@code work}, then the archive to {@code output}; returns the layer's diff id. */
    public static String write(RootFs tree, ImageConfig image, Path work, Path output) throws IOException {
        Path layer = work.resolve("layer.tar.gz");
        MessageDigest diff = sha256();
        GzipParameters gzip = new GzipParameters();
        gzip.setModificationTime(0);
        try (OutputStream file = Files.newOutputStream(layer);
                GzipCompressorOutputStream gz = new GzipCompressorOutputStream(file, gzip);
                DigestOutputStream uncompressed = new DigestOutputStream(gz, diff)) {
            LayerTar.write(tree, uncompressed);
        }
        String diffId = "sha256:" + HexFormat.of().formatHex(diff.digest());
        byte[] config = JSON.writeValueAsBytes(config(image, diffId));
        String configName = HexFormat.of().formatHex(sha256().digest(config)) + ".json";
        String layerName = diffId.substring("sha256:".length()) + "/layer.tar";
        Map<String, Object> entry = new LinkedHashMap<>();
        entry.put("Config", configName);
        entry.put("RepoTags", List.of(image.repoTag()));
        entry.put("Layers", List.of(layerName));
        byte[] manifest = JSON.writeValueAsBytes(List.of(entry));

        try (OutputStream file = Files.newOutputStream(output);
                TarArchiveOutputStream tar = new TarArchiveOutputStream(file, "UTF-8")) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            put(tar, configName, new ByteArrayInputStream(config), config.length);
            try (InputStream in = Files.newInputStream(layer)) {
                put(tar, layerName, in, Files.size(layer));
            }
            put(tar, "manifest.json", new ByteArrayInputStream(manifest), manifest.length);
            tar.finish();
        }
        return diffId;
    }

    private static Map<String, Object> config(ImageConfig image, String diffId) {
        Map<String, Object> runtime = new LinkedHashMap<>();
        runtime.put("Env", image.env());
        runtime.put("WorkingDir", "/");
        runtime.put("Labels", image.labels());
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("architecture", image.architecture());
        config.put("os", "linux");
        config.put("created", CREATED);
        config.put("config", runtime);
        config.put("rootfs", Map.of("type", "layers", "diff_ids", List.of(diffId)));
        config.put("history", List.of(Map.of("created", CREATED,
                "created_by", "edgeplane image-base: Debian packages, see /usr/share/edgeplane/base-packages.txt")));
        return config;
    }

    private static void put(TarArchiveOutputStream tar, String name, InputStream content, long size)
            throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setSize(size);
        entry.setMode(0100644);
        entry.setModTime(LayerTar.MTIME);
        entry.setUserName("");
        entry.setGroupName("");
        tar.putArchiveEntry(entry);
        content.transferTo(tar);
        tar.closeArchiveEntry();
    }

    static MessageDigest sha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
