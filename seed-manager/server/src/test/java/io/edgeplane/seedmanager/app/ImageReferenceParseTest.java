package io.edgeplane.seedmanager.app;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ImageReferenceParseTest {
    private static final String DIGEST = "sha256:" + "a".repeat(64);

    @Test
    void namesAreNormalisedAsContainerdDoes() {
        assertThat(ImageReference.parse("nginx").fullName()).isEqualTo("docker.io/library/nginx:latest");
        assertThat(ImageReference.parse("nginx").apiHost()).isEqualTo("registry-1.docker.io");
        assertThat(ImageReference.parse("bitnami/redis:7").fullName()).isEqualTo("docker.io/bitnami/redis:7");
        assertThat(ImageReference.parse("10.222.0.1:5000/edgeplane/hello-http:1").fullName()).isEqualTo("10.222.0.1:5000/edgeplane/hello-http:1");
        assertThat(ImageReference.parse("localhost/app").fullName()).isEqualTo("localhost/app:latest");
        assertThat(ImageReference.parse("ghcr.io/a/b:v1@" + DIGEST).fullName()).isEqualTo("ghcr.io/a/b@" + DIGEST);
        assertThat(ImageReference.parse("ghcr.io/a/b@" + DIGEST).manifestReference()).isEqualTo(DIGEST);
        assertThat(ImageReference.parse("ghcr.io/a/b:v1").manifestReference()).isEqualTo("v1");
    }

    @Test
    void malformedReferencesAreRefused() {
        assertThatThrownBy(() -> ImageReference.parse("")).hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageReference.parse("Upper/case")).hasMessageContaining("invalid repository");
        assertThatThrownBy(() -> ImageReference.parse("a/b@sha256:12")).hasMessageContaining("digest");
        assertThatThrownBy(() -> ImageReference.parse("a/b:$(x)")).hasMessageContaining("invalid tag");
    }
}
