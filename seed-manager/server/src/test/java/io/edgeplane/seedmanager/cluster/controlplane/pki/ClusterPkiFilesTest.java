package io.edgeplane.seedmanager.cluster.controlplane.pki;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static io.edgeplane.seedmanager.cluster.controlplane.pki.PkiFixtures.*;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

class ClusterPkiFilesTest {
    private static final List<String> LAYOUT = List.of(
            "ca.crt", "ca.key", "front-proxy-ca.crt", "front-proxy-ca.key", "etcd/ca.crt", "etcd/ca.key",
            "sa.key", "sa.pub",
            "apiserver.crt", "apiserver.key",
            "apiserver-kubelet-client.crt", "apiserver-kubelet-client.key",
            "apiserver-etcd-client.crt", "apiserver-etcd-client.key",
            "front-proxy-client.crt", "front-proxy-client.key",
            "etcd/server.crt", "etcd/server.key", "etcd/peer.crt", "etcd/peer.key",
            "controller-manager.crt", "controller-manager.key", "scheduler.crt", "scheduler.key");

    @TempDir
    Path dir;

    @Test
    void writesKubeadmsLayoutWithPrivateKeys() throws IOException {
        Path pkiDir = dir.resolve("pki");
        ClusterPki pki = pkiAt(T0, "alpha");

        List<String> written = pki.writeTo(pkiDir);

        assertThat(written).containsExactlyInAnyOrderElementsOf(LAYOUT);
        assertThat(filesUnder(pkiDir)).containsExactlyInAnyOrderElementsOf(LAYOUT);
        for (String file : LAYOUT) {
            String mode = PosixFilePermissions.toString(Files.getPosixFilePermissions(pkiDir.resolve(file)));
            assertThat(mode).as(file).isEqualTo(file.endsWith(".key") ? "rw-------" : "rw-r--r--");
        }
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pkiDir.resolve("etcd")))).isEqualTo("rwx------");
        assertThat(Files.readString(pkiDir.resolve("etcd/server.crt"))).isEqualTo(pki.certificatePem("etcd/server"));
        assertThat(Files.readString(pkiDir.resolve("sa.pub"))).isEqualTo(pki.serviceAccountPublicKeyPem());
        assertThat(Files.readString(pkiDir.resolve("ca.key"))).startsWith("-----BEGIN PRIVATE KEY-----");
    }

    @Test
    void writingAgainChangesNothing() throws IOException {
        Path pkiDir = dir.resolve("pki");
        ClusterPki pki = pkiAt(T0, "alpha");
        pki.writeTo(pkiDir);
        Map<String, FileTime> before = modificationTimes(pkiDir);
        // Make any rewrite visible even on file systems with coarse timestamps.
        for (String file : LAYOUT) {
            Files.setLastModifiedTime(pkiDir.resolve(file), FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));
        }
        before.replaceAll((file, time) -> FileTime.from(Instant.parse("2020-01-01T00:00:00Z")));

        assertThat(pki.writeTo(pkiDir)).isEmpty();
        // A PKI restored from its stored form writes byte-identical files too.
        MasterKey key = masterKey(7);
        assertThat(ClusterPki.fromStored(pki.toStored(key), key, "alpha").writeTo(pkiDir)).isEmpty();

        assertThat(modificationTimes(pkiDir)).isEqualTo(before);
        assertThat(filesUnder(pkiDir)).as("no temporary files left behind").containsExactlyInAnyOrderElementsOf(LAYOUT);
    }

    @Test
    void rewritesOnlyWhatChangedAndRepairsPermissions() throws IOException {
        Path pkiDir = dir.resolve("pki");
        ClusterPki pki = pkiAt(T0, "alpha");
        pki.writeTo(pkiDir);
        Files.writeString(pkiDir.resolve("apiserver.crt"), "damaged");
        Files.setPosixFilePermissions(pkiDir.resolve("ca.key"), PosixFilePermissions.fromString("rw-r--r--"));

        assertThat(pki.writeTo(pkiDir)).containsExactly("apiserver.crt");

        assertThat(Files.readString(pkiDir.resolve("apiserver.crt"))).isEqualTo(pki.certificatePem("apiserver"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(pkiDir.resolve("ca.key")))).isEqualTo("rw-------");
    }

    @Test
    void opensslAcceptsEveryChainAndPurpose() throws Exception {
        assumeTrue(onPath("openssl"), "openssl is not installed");
        Path pkiDir = dir.resolve("pki");
        // openssl checks validity against the real time, so issue now.
        new ClusterPkiFactory(Clock.systemUTC()).create(request("alpha")).writeTo(pkiDir);

        List<String[]> checks = List.of(
                new String[]{"ca.crt", "apiserver.crt", "sslserver"},
                new String[]{"ca.crt", "apiserver-kubelet-client.crt", "sslclient"},
                new String[]{"ca.crt", "controller-manager.crt", "sslclient"},
                new String[]{"ca.crt", "scheduler.crt", "sslclient"},
                new String[]{"front-proxy-ca.crt", "front-proxy-client.crt", "sslclient"},
                new String[]{"etcd/ca.crt", "apiserver-etcd-client.crt", "sslclient"},
                new String[]{"etcd/ca.crt", "etcd/server.crt", "sslserver"},
                new String[]{"etcd/ca.crt", "etcd/server.crt", "sslclient"},
                new String[]{"etcd/ca.crt", "etcd/peer.crt", "sslserver"},
                new String[]{"etcd/ca.crt", "etcd/peer.crt", "sslclient"});
        for (String[] check : checks) {
            String output = run(pkiDir, "openssl", "verify", "-purpose", check[2], "-CAfile", check[0], check[1]);
            assertThat(output).as(String.join(" ", check)).contains(check[1] + ": OK");
        }
        String wrongCa = run(pkiDir, "openssl", "verify", "-CAfile", "ca.crt", "etcd/server.crt");
        assertThat(wrongCa).doesNotContain("etcd/server.crt: OK");
        // The private keys are what Go and Fabric8 read: PKCS#8 that openssl parses and that matches its certificate.
        String keyPublic = run(pkiDir, "openssl", "pkey", "-in", "apiserver.key", "-pubout");
        String certPublic = run(pkiDir, "openssl", "x509", "-in", "apiserver.crt", "-noout", "-pubkey");
        assertThat(keyPublic).isEqualTo(certPublic).startsWith("-----BEGIN PUBLIC KEY-----");
    }

    private static boolean onPath(String command) {
        return Stream.of(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(dir -> !dir.isEmpty() && Files.isExecutable(Path.of(dir, command)));
    }

    private static String run(Path workDir, String... command) throws IOException, InterruptedException {
        Process process = new ProcessBuilder(command).directory(workDir.toFile()).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return output;
    }

    private static List<String> filesUnder(Path root) throws IOException {
        List<String> files = new ArrayList<>();
        try (Stream<Path> walk = Files.walk(root)) {
            walk.filter(Files::isRegularFile).forEach(file -> files.add(root.relativize(file).toString()));
        }
        return files;
    }

    private static Map<String, FileTime> modificationTimes(Path root) throws IOException {
        Map<String, FileTime> times = new HashMap<>();
        for (String file : filesUnder(root)) {
            times.put(file, Files.getLastModifiedTime(root.resolve(file)));
        }
        return times;
    }
}
