package io.edgeplane.seedmanager.workload.bundle;

import io.edgeplane.seedmanager.app.AppSpec;
import io.edgeplane.seedmanager.app.ImageReference;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPki;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPkiFactory;
import io.edgeplane.seedmanager.cluster.controlplane.pki.ClusterPkiRequest;
import io.edgeplane.seedmanager.cluster.controlplane.pki.PemEncoding;
import io.edgeplane.seedmanager.testing.GoldenDirectory;
import io.edgeplane.seedmanager.workload.WorkloadSpec;
import io.edgeplane.seedmanager.workload.WorkloadSpecs;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Signature;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The bundle's exact file list, its checksums, its signature (checked by Java and by openssl as
 * the device does), bundle.env, and pod.yaml as a golden file
 * ({@code src/test/resources/golden/bundle}; regenerate: {@value #REGENERATE}).
 */
class BundleWriterTest {
    static final String REGENERATE = "mvn -pl seed-manager/server test -Dtest=BundleWriterTest -Dgolden.update=true";
    static final Instant CREATED = Instant.parse("2025-03-01T12:00:00Z");
    static final WorkloadSpec SPEC = new WorkloadSpec("hello", "1",
            List.of(new AppSpec.Container("web", "10.222.0.1:5000/edgeplane/hello-http:1", Map.of("PORT", "8080"),
                    List.of(new AppSpec.Port("http", 8080, 18080, "TCP")), new AppSpec.Resources("10m", null, null, "64Mi"))),
            Map.of("greeting", "hi"), List.of("edge-1"));

    @TempDir
    static Path dir;
    static ClusterPki pki;
    static Path bundle;
    static Map<String, byte[]> files;
    static PulledImage image;

    @BeforeAll
    static void writeBundle() throws Exception {
        pki = new ClusterPkiFactory().create(new ClusterPkiRequest("c1", List.of("127.0.0.1"), List.of("127.0.0.1"),
                Duration.ofDays(10), Duration.ofDays(1)));
        image = fakeImage(dir.resolve("blobs"));
        Path layout = dir.resolve("layout.tar");
        ImageLayoutTar.write(image, layout, CREATED);
        bundle = dir.resolve("bundle.tar");
        try (OutputStream out = Files.newOutputStream(bundle)) {
            BundleWriter.write(new BundleWriter.Contents("acme/line", pki.certificate("ca"), PemEncoding.parsePrivateKey(pki.privateKeyPem("ca")),
                    "hello", "edge-1", SPEC, CREATED, List.of(new BundleWriter.Image(image.reference(), image.manifest().digest(), layout))), out);
        }
        files = entries(bundle);
    }

    @Test
    void holdsExactlyTheseFilesInThisOrder() {
        assertThat(files.keySet()).containsExactly("bundle.env", "pod.yaml", "app.yaml", "images/1.tar", "SHA256SUMS", "SHA256SUMS.sig");
    }

    @Test
    void bundleEnvIsPlainKeyValueLines() throws Exception {
        assertThat(text("bundle.env")).isEqualTo("""
                BUNDLE_FORMAT=1
                CLUSTER=acme/line
                CLUSTER_CA_SHA256=%s
                WORKLOAD=hello
                NODE=edge-1
                SPEC_HASH=%s
                VERSION=%s
                CREATED=2025-03-01T12:00:00Z
                IMAGES=1
                IMAGE_1=10.222.0.1:5000/edgeplane/hello-http:1
                IMAGE_1_DIGEST=%s
                """.formatted(sha256(pki.certificate("ca").getEncoded()), WorkloadSpecs.hash(SPEC), SPEC.appVersion(), image.manifest().digest()));
    }

    @Test
    void checksumsCoverEveryOtherFileInSha256sumFormat() {
        StringBuilder expected = new StringBuilder();
        for (String name : List.of("bundle.env", "pod.yaml", "app.yaml", "images/1.tar")) {
            expected.append(sha256(files.get(name))).append("  ").append(name).append('\n');
        }
        assertThat(text("SHA256SUMS")).isEqualTo(expected.toString());
        assertThat(text("app.yaml")).isEqualTo(WorkloadSpecs.configurationFile(SPEC));
    }

    @Test
    void signatureVerifiesWithTheCaPublicKey() throws Exception {
        Signature verifier = Signature.getInstance("SHA256withECDSA");
        verifier.initVerify(pki.certificate("ca").getPublicKey());
        verifier.update(files.get("SHA256SUMS"));
        assertThat(verifier.verify(files.get("SHA256SUMS.sig"))).isTrue();
    }

    @Test
    void signatureVerifiesWithOpensslAsTheDeviceChecksIt() throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/openssl")), "openssl is not installed");
        Path check = Files.createDirectories(dir.resolve("openssl"));
        Files.writeString(check.resolve("ca.crt"), pki.certificatePem("ca"));
        Files.write(check.resolve("SHA256SUMS"), files.get("SHA256SUMS"));
        Files.write(check.resolve("SHA256SUMS.sig"), files.get("SHA256SUMS.sig"));
        assertThat(run(check, "openssl x509 -in ca.crt -pubkey -noout > ca.pub && "
                + "openssl dgst -sha256 -verify ca.pub -signature SHA256SUMS.sig SHA256SUMS")).isEqualTo("Verified OK\n");
        Files.writeString(check.resolve("SHA256SUMS"), text("SHA256SUMS").replace("app.yaml", "app.yml"));
        assertThat(run(check, "openssl dgst -sha256 -verify ca.pub -signature SHA256SUMS.sig SHA256SUMS || true")).contains("Verification failure");
        assertThat(run(check, "openssl x509 -in ca.crt -outform DER | sha256sum | cut -d' ' -f1").strip())
                .isEqualTo(sha256(pki.certificate("ca").getEncoded()));
    }

    @Test
    void podYamlMatchesItsGoldenFile() throws IOException {
        GoldenDirectory golden = new GoldenDirectory("bundle", REGENERATE);
        golden.check("pod.yaml", golden.header(BundleWriterTest.class) + text("pod.yaml"));
        assertThat(golden.filesOnDisk()).as("orphaned golden files; regenerate: %s", REGENERATE).containsExactly("pod.yaml");
        String hash = WorkloadSpecs.hash(SPEC);
        assertThat(text("pod.yaml")).contains("name: \"hello-" + hash + "\"", "namespace: \"edgeplane-workloads\"",
                "edgeplane.io/spec-hash: \"" + hash + "\"", "path: \"/var/lib/edgeplane/workloads/hello/" + hash + "\"",
                "type: \"DirectoryOrCreate\"");
    }

    @Test
    void imageLayoutNamesTheImageForContainerd() throws IOException {
        Map<String, byte[]> layout = entries(dir.resolve("layout.tar"));
        assertThat(layout.keySet()).containsExactly("blobs/", "blobs/sha256/", "oci-layout", "index.json",
                "blobs/sha256/" + image.manifest().hex(), "blobs/sha256/" + image.blobs().get(0).hex(), "blobs/sha256/" + image.blobs().get(1).hex());
        assertThat(new String(layout.get("index.json"), StandardCharsets.UTF_8)).isEqualTo(
                "{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.index.v1+json\",\"manifests\":[{\"mediaType\":"
                        + "\"application/vnd.oci.image.manifest.v1+json\",\"digest\":\"" + image.manifest().digest() + "\",\"size\":"
                        + image.manifest().size() + ",\"annotations\":{\"io.containerd.image.name\":\"10.222.0.1:5000/edgeplane/hello-http:1\","
                        + "\"org.opencontainers.image.ref.name\":\"1\"},\"platform\":{\"architecture\":\"amd64\",\"os\":\"linux\"}}]}");
    }

    @Test
    void aValueThatWouldNeedQuotingIsRefused() {
        BundleWriter.Contents contents = new BundleWriter.Contents("acme/line $(reboot)", pki.certificate("ca"),
                PemEncoding.parsePrivateKey(pki.privateKeyPem("ca")), "hello", "edge-1", SPEC, CREATED, List.of());
        assertThatThrownBy(() -> BundleWriter.env(contents)).hasMessageContaining("CLUSTER is not shell-safe");
    }

    /** A one-layer image whose blobs are made up (the registry reader is exercised by the IT). */
    static PulledImage fakeImage(Path blobDir) throws IOException {
        Files.createDirectories(blobDir);
        byte[] config = "{\"architecture\":\"amd64\",\"os\":\"linux\",\"rootfs\":{\"type\":\"layers\",\"diff_ids\":[]}}".getBytes(StandardCharsets.UTF_8);
        byte[] layer = "not really a layer".getBytes(StandardCharsets.UTF_8);
        ImageDescriptor configDescriptor = store(blobDir, "application/vnd.oci.image.config.v1+json", config);
        ImageDescriptor layerDescriptor = store(blobDir, "application/vnd.oci.image.layer.v1.tar+gzip", layer);
        byte[] manifest = ("{\"schemaVersion\":2,\"mediaType\":\"application/vnd.oci.image.manifest.v1+json\",\"config\":{\"mediaType\":\""
                + configDescriptor.mediaType() + "\",\"digest\":\"" + configDescriptor.digest() + "\",\"size\":" + config.length
                + "},\"layers\":[{\"mediaType\":\"" + layerDescriptor.mediaType() + "\",\"digest\":\"" + layerDescriptor.digest()
                + "\",\"size\":" + layer.length + "}]}").getBytes(StandardCharsets.UTF_8);
        ImageDescriptor manifestDescriptor = store(blobDir, RegistryReader.OCI_MANIFEST, manifest);
        return new PulledImage(ImageReference.parse("10.222.0.1:5000/edgeplane/hello-http:1"), "amd64", manifestDescriptor,
                List.of(configDescriptor, layerDescriptor), blobDir);
    }

    private static ImageDescriptor store(Path blobDir, String mediaType, byte[] content) throws IOException {
        String hex = sha256(content);
        Files.write(blobDir.resolve(hex), content);
        return new ImageDescriptor(mediaType, "sha256:" + hex, content.length);
    }

    static Map<String, byte[]> entries(Path tar) throws IOException {
        Map<String, byte[]> entries = new LinkedHashMap<>();
        try (InputStream in = Files.newInputStream(tar); TarArchiveInputStream archive = new TarArchiveInputStream(in)) {
            for (TarArchiveEntry entry; (entry = archive.getNextEntry()) != null; ) {
                entries.put(entry.getName(), archive.readAllBytes());
            }
        }
        return entries;
    }

    private static String text(String name) {
        return new String(files.get(name), StandardCharsets.UTF_8);
    }

    static String sha256(byte[] bytes) {
        return HexFormat.of().formatHex(RegistryReader.sha256().digest(bytes));
    }

    private static String run(Path workDir, String script) throws Exception {
        Process process = new ProcessBuilder("bash", "-c", script).directory(workDir.toFile()).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return out;
    }
}
