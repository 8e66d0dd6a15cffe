package io.edgeplane.seedmanager.artifact;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The artifact mirror serves exactly the checksummed binaries, to anyone, and nothing else. */
class ArtifactMirrorIT {
    @TempDir
    Path dir;

    @Test
    void servesChecksummedBinariesOnly() throws Exception {
        Path platform = dir.resolve("binaries/v1.36.3/linux-amd64");
        Files.createDirectories(platform);
        Files.writeString(platform.resolve("kubelet"), "pretend kubelet");
        Files.writeString(platform.resolve("unlisted"), "not in the sums");
        String sha = HexFormat.of().formatHex(java.security.MessageDigest.getInstance("SHA-256").digest("pretend kubelet".getBytes()));
        Files.writeString(platform.resolve("SHA256SUMS"), sha + "  kubelet\n");
        Files.writeString(dir.resolve("binaries/secret"), "outside");

        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"),
                Map.of("edgeplane.kubernetes.binaries-dir", dir.resolve("binaries").toString()))) {
            Reply kubelet = seed.get(null, "/artifacts/v1.36.3/linux-amd64/kubelet");
            assertThat(kubelet.status()).isEqualTo(200);
            assertThat(kubelet.body()).isEqualTo("pretend kubelet");
            assertThat(seed.get(null, "/artifacts/v1.36.3/linux-amd64/SHA256SUMS").body()).contains(sha + "  kubelet");
            assertThat(seed.get(null, "/artifacts/v1.36.3/linux-amd64/unlisted").status()).isEqualTo(404);
            assertThat(seed.get(null, "/artifacts/v1.36.3/linux-amd64/..%2F..%2Fsecret").status()).isEqualTo(404);
            assertThat(seed.get(null, "/artifacts/..%2Fbinaries/linux-amd64/kubelet").status()).isEqualTo(404);
            assertThat(seed.get(null, "/artifacts/v1.36.3/windows-amd64/kubelet").status()).isEqualTo(404);
        }
    }
}
