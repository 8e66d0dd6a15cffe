package io.edgeplane.testbed.images;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TestImageSourceTest {

    @Test
    void contentHashIsStableAndDiffersBetweenImages() {
        TestImageSource helloHttp = TestImageSource.program("hello-http");
        assertThat(helloHttp.contentHash()).hasSize(64).isEqualTo(TestImageSource.program("hello-http").contentHash())
                .isNotEqualTo(TestImageSource.program("pause").contentHash());
    }

    @Test
    void extractsAModuleThatGoCanBuild(@TempDir Path dir) {
        TestImageSource.program("pause").extractTo(dir);
        assertThat(dir.resolve("go.mod")).content().contains("module edgeplane.local/testimages/pause");
        assertThat(dir.resolve("main.go")).content().contains("package main");
    }

    @Test
    void namesAMissingSource() {
        assertThatThrownBy(() -> TestImageSource.program("no-such-image").contentHash())
                .hasMessageContaining("edgeplane/testbed/images/no-such-image/go.mod");
    }
}
