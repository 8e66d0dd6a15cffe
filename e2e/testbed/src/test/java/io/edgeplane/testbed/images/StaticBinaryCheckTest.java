package io.edgeplane.testbed.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StaticBinaryCheckTest {

    @Test
    void rejectsADynamicallyLinkedBinary() {
        // Debian's coreutils are linked against glibc.
        assertThatThrownBy(() -> StaticBinaryCheck.requireStatic(Path.of("/bin/ls")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("dynamically linked");
    }

    @Test
    void rejectsAFileThatIsNoBinary(@TempDir Path dir) throws Exception {
        Path script = Files.writeString(dir.resolve("run.sh"), "#!/bin/sh\necho hi\n".repeat(8));
        assertThatThrownBy(() -> StaticBinaryCheck.requireStatic(script))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not a 64-bit ELF binary");
    }
}
