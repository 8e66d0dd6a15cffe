package io.edgeplane.seedmanager.binaries;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Only a complete platform directory counts: every component there, executable, listed and matching its sum. */
class BinariesDirectoryTest {
    @TempDir
    Path root;

    private final Platform arm = new Platform("v1.36.3", "arm64");

    @Test
    void aCompleteDirectoryCounts() {
        BinariesDirectory directory = new BinariesDirectory(root);
        FakeBinaries.complete(directory, arm, List.of("kubelet", "kubectl"));
        assertThat(directory.isComplete(arm, List.of("kubelet"))).isTrue();
        assertThat(directory.isComplete(arm, List.of("kubelet", "kubectl"))).isTrue();
        assertThat(directory.isComplete(arm, List.of("kubelet", "etcd"))).as("etcd is not there").isFalse();
    }

    @Test
    void missingSumsAnUnlistedOrNonExecutableComponentOrAChangedFileDoNotCount() throws Exception {
        BinariesDirectory directory = new BinariesDirectory(root);
        Path dir = directory.dir(arm);
        FakeBinaries.write(dir.resolve("kubelet"), "#!/bin/sh\n");
        assertThat(directory.isComplete(arm, List.of("kubelet"))).as("no SHA256SUMS").isFalse();

        FakeBinaries.writeSums(dir, List.of());
        assertThat(directory.isComplete(arm, List.of("kubelet"))).as("not listed").isFalse();

        FakeBinaries.writeSums(dir, List.of("kubelet"));
        assertThat(directory.isComplete(arm, List.of("kubelet"))).isTrue();

        Files.setPosixFilePermissions(dir.resolve("kubelet"), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(directory.isComplete(arm, List.of("kubelet"))).as("not executable").isFalse();
        Files.setPosixFilePermissions(dir.resolve("kubelet"), PosixFilePermissions.fromString("rwxr-xr-x"));

        Files.writeString(dir.resolve("kubelet"), "#!/bin/sh\necho changed after it was verified\n");
        assertThat(directory.isComplete(arm, List.of("kubelet"))).as("a file changed since it was verified").isFalse();
    }

    @Test
    void sumsNeverReachOutsideTheDirectory() throws Exception {
        BinariesDirectory directory = new BinariesDirectory(root);
        Path dir = directory.dir(arm);
        Files.createDirectories(dir);
        Files.writeString(dir.resolve(BinariesDirectory.SUMS), "a".repeat(64) + "  ../../secret\n" + "b".repeat(64) + "  kubelet\n");
        assertThat(directory.sums(dir)).containsOnlyKeys("kubelet");
    }
}
