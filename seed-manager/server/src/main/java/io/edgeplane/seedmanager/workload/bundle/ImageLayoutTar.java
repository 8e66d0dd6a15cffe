package io.edgeplane.seedmanager.workload.bundle;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Date;
import java.util.LinkedHashSet;
import java.util.Set;

/**
 * One pulled image as an OCI image-layout tar ({@code oci-layout}, {@code index.json},
 * {@code blobs/sha256/<hex>}) that {@code ctr -n k8s.io images import} loads under the image's full
 * reference: the index entry carries {@code io.containerd.image.name} (the normalised reference the
 * kubelet asks for) and {@code org.opencontainers.image.ref.name} (the tag).
 */
public final class ImageLayoutTar {
    public static final String CONTAINERD_NAME = "io.containerd.image.name";
    public static final String REF_NAME = "org.opencontainers.image.ref.name";
    private static final ObjectMapper JSON = new ObjectMapper();

    private ImageLayoutTar() {
    }

    /** Writes the layout of {@code image} to {@code target}, entries dated {@code mtime}. */
    public static void write(PulledImage image, Path target, Instant mtime) throws IOException {
        try (OutputStream out = Files.newOutputStream(target);
             TarArchiveOutputStream tar = new TarArchiveOutputStream(out, StandardCharsets.UTF_8.name())) {
            tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
            tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
            directory(tar, "blobs/", mtime);
            directory(tar, "blobs/sha256/", mtime);
            bytes(tar, "oci-layout", "{\"imageLayoutVersion\":\"1.0.0\"}".getBytes(StandardCharsets.UTF_8), mtime);
            bytes(tar, "index.json", index(image), mtime);
            Set<String> written = new LinkedHashSet<>();
            file(tar, "blobs/sha256/" + image.manifest().hex(), image.blob(image.manifest()), mtime);
            written.add(image.manifest().hex());
            for (ImageDescriptor blob : image.blobs()) {
                if (written.add(blob.hex())) {
                    file(tar, "blobs/sha256/" + blob.hex(), image.blob(blob), mtime);
                }
            }
            tar.finish();
        }
    }

    static byte[] index(PulledImage image) throws IOException {
        ObjectNode index = JSON.createObjectNode();
        index.put("schemaVersion", 2);
        index.put("mediaType", RegistryReader.OCI_INDEX);
        ArrayNode manifests = index.putArray("manifests");
        ObjectNode entry = manifests.addObject();
        entry.put("mediaType", image.manifest().mediaType());
        entry.put("digest", image.manifest().digest());
        entry.put("size", image.manifest().size());
        ObjectNode annotations = entry.putObject("annotations");
        annotations.put(CONTAINERD_NAME, image.reference().fullName());
        if (image.reference().digest() == null) {
            annotations.put(REF_NAME, image.reference().tag());
        }
        ObjectNode platform = entry.putObject("platform");
        platform.put("architecture", image.architecture());
        platform.put("os", "linux");
        return JSON.writeValueAsBytes(index);
    }

    private static void directory(TarArchiveOutputStream tar, String name, Instant mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(040755);
        entry.setModTime(Date.from(mtime));
        tar.putArchiveEntry(entry);
        tar.closeArchiveEntry();
    }

    private static void bytes(TarArchiveOutputStream tar, String name, byte[] content, Instant mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100644);
        entry.setSize(content.length);
        entry.setModTime(Date.from(mtime));
        tar.putArchiveEntry(entry);
        tar.write(content);
        tar.closeArchiveEntry();
    }

    private static void file(TarArchiveOutputStream tar, String name, Path file, Instant mtime) throws IOException {
        TarArchiveEntry entry = new TarArchiveEntry(name);
        entry.setMode(0100644);
        entry.setSize(Files.size(file));
        entry.setModTime(Date.from(mtime));
        tar.putArchiveEntry(entry);
        Files.copy(file, tar);
        tar.closeArchiveEntry();
    }
}
