package io.edgeplane.seedmanager.app;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;

class ImageReferenceTest {
    private static final String DIGEST = "sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    @ParameterizedTest
    @ValueSource(strings = {"nginx:1.27", "10.222.0.1:5000/edgeplane/hello-http:1", "registry.example/team/app_x:v2.0-rc.1",
            "ghcr.io/org/app@" + DIGEST, "localhost:5000/a/b:1@" + DIGEST, "[fd00::1]:5000/app:1", "a__b/c-d.e:latest"})
    void pinnedReferencesAreAccepted(String image) {
        assertThat(ImageReference.problem(image)).isEmpty();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nginx", "Nginx:1", "registry.example/Team/app:1", "app:-x", "app@sha256:abc", "app@md5:" + "0",
            "app:1 ", "", "/app:1", "app//x:1", "registry.example:port/app:1"})
    void everythingElseIsRefusedWithAReason(String image) {
        assertThat(ImageReference.problem(image)).isPresent();
    }
}
