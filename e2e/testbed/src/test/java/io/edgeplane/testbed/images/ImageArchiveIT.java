package io.edgeplane.testbed.images;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class ImageArchiveIT {

    @Test
    void helloHttpArchiveImportsIntoContainerd() {
        long started = System.nanoTime();
        ImageArchive archive = TestImages.helloHttpArchive();
        System.out.printf("testbed: hello-http archive ready in %d ms (%s)%n", (System.nanoTime() - started) / 1_000_000,
                archive.tar());
        assertThat(archive.reference()).isEqualTo("edgeplane.local/edgeplane/hello-http:1");

        try (ThrowawayContainerd containerd = ThrowawayContainerd.start()) {
            started = System.nanoTime();
            containerd.ctr("images", "import", archive.tar().toString());
            System.out.printf("testbed: ctr images import %d ms%n", (System.nanoTime() - started) / 1_000_000);

            assertThat(containerd.ctr("images", "ls", "-q")).contains(archive.reference());
            assertThat(containerd.ctr("images", "check")).contains(archive.reference()).contains("complete");
        }
    }
}
