package io.edgeplane.imagebase;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.apache.commons.compress.compressors.gzip.GzipCompressorInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DockerArchiveTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final DockerArchive.ImageConfig CONFIG = new DockerArchive.ImageConfig("amd64",
            List.of("PATH=/usr/bin"), Map.of("b", "2", "a", "1"), "edgeplane-base:test");

    @TempDir
    Path dir;

    @Test
    void manifestNamesTheConfigWhoseDiffIdIsTheLayersDigest() throws Exception {
        Map<String, byte[]> files = entries(write("one"));

        JsonNode manifest = JSON.readTree(files.get("manifest.json"));
        assertThat(manifest).hasSize(1);
        String configName = manifest.get(0).get("Config").asText();
        String layerName = manifest.get(0).get("Layers").get(0).asText();
        assertThat(files).containsOnlyKeys("manifest.json", configName, layerName);
        assertThat(configName).isEqualTo(sha256(files.get(configName)) + ".json");

        JsonNode config = JSON.readTree(files.get(configName));
        byte[] layer = new GzipCompressorInputStream(new ByteArrayInputStream(files.get(layerName))).readAllBytes();
        assertThat(config.at("/rootfs/diff_ids/0").asText()).isEqualTo("sha256:" + sha256(layer));
        assertThat(config.at("/rootfs/diff_ids")).hasSize(1);
        assertThat(layerName).isEqualTo(sha256(layer) + "/layer.tar");
        assertThat(config.at("/architecture").asText()).isEqualTo("amd64");
        assertThat(config.at("/config/Env/0").asText()).isEqualTo("PATH=/usr/bin");
    }

    @Test
    void layerKeepsSymlinksAndOwnersWithOneMtimeInPathOrder() throws Exception {
        List<TarArchiveEntry> layer = layerEntries(write("one"));

        assertThat(layer).extracting(TarArchiveEntry::getName).containsExactly(
                "bin", "lib", "lib64", "sbin", "tmp/", "usr/", "usr/bin/", "usr/bin/bash", "usr/bin/sh", "usr/lib/",
                "usr/lib64/", "usr/sbin/", "var/", "var/lib/", "var/lib/edgeplane/");
        assertThat(layer).allSatisfy(e -> assertThat(e.getModTime().getTime()).isEqualTo(1000L));
        TarArchiveEntry bin = layer.get(0);
        assertThat(bin.isSymbolicLink()).isTrue();
        assertThat(bin.getLinkName()).isEqualTo("usr/bin");
        TarArchiveEntry sh = layer.get(8);
        assertThat(sh.isSymbolicLink()).isTrue();
        assertThat(sh.getLinkName()).isEqualTo("bash");
        assertThat(layer.get(4).getMode() & 07777).isEqualTo(01777);
        assertThat(layer.get(7).getMode() & 07777).isEqualTo(0755);
        assertThat(layer.get(7).getLongUserId()).isZero();
        assertThat(layer.get(14).getLongUserId()).isEqualTo(65532);
    }

    @Test
    void sameTreeGivesTheSameBytes() throws Exception {
        assertThat(Files.mismatch(write("one"), write("two"))).isEqualTo(-1L);
    }

    private Path write(String name) throws IOException {
        Path work = Files.createDirectories(dir.resolve(name));
        RootFs tree = new RootFs(work.resolve("files"));
        // Added out of order, as packages arrive: the layer sorts them.
        tree.addDirectory("var/lib/edgeplane", 0700, 65532);
        tree.addFile("/bin/bash", 0755, "#!ELF".getBytes(StandardCharsets.UTF_8));
        tree.addSymlink("usr/bin/sh", "bash");
        tree.addDirectory("tmp", 01777);
        Path out = work.resolve("image.tar");
        DockerArchive.write(tree, CONFIG, work, out);
        return out;
    }

    private static Map<String, byte[]> entries(Path archive) throws IOException {
        Map<String, byte[]> files = new LinkedHashMap<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(Files.newInputStream(archive))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                files.put(e.getName(), tar.readAllBytes());
            }
        }
        return files;
    }

    private static List<TarArchiveEntry> layerEntries(Path archive) throws IOException {
        Map<String, byte[]> files = entries(archive);
        String layerName = JSON.readTree(files.get("manifest.json")).get(0).get("Layers").get(0).asText();
        List<TarArchiveEntry> list = new java.util.ArrayList<>();
        try (TarArchiveInputStream tar = new TarArchiveInputStream(
                new GzipCompressorInputStream(new ByteArrayInputStream(files.get(layerName))))) {
            for (TarArchiveEntry e = tar.getNextEntry(); e != null; e = tar.getNextEntry()) {
                list.add(e);
            }
        }
        return list;
    }

    private static String sha256(byte[] bytes) throws Exception {
        MessageDigest digest = MessageDigest.getInstance("SHA-256");
        try (InputStream in = new DigestInputStream(new ByteArrayInputStream(bytes), digest)) {
            in.transferTo(java.io.OutputStream.nullOutputStream());
        }
        return HexFormat.of().formatHex(digest.digest());
    }
}
