package io.edgeplane.e2e;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import io.edgeplane.testbed.TestBedRun;
import io.edgeplane.testbed.images.LocalRegistry;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The seed manager's image as the build wrote it ({@code seed-manager/image/target/jib-image.tar}),
 * pushed unchanged into the test bed's registry: no Docker engine, no second build.
 */
final class SeedManagerImage {
    private SeedManagerImage() {
    }

    /** The image's reference in {@code registry}, as a pod names it. */
    static String push(LocalRegistry registry) throws Exception {
        return push(registry, "e2e");
    }

    /** The same image under {@code tag} (e.g. a second tag for a rolling upgrade): only the manifest is new to the registry. */
    static String push(LocalRegistry registry, String tag) throws Exception {
        Path tar = Path.of(System.getProperty("seedManagerImage",
                System.getProperty("repositoryRoot", ".") + "/seed-manager/image/target/jib-image.tar"));
        if (!Files.isRegularFile(tar)) {
            throw new IllegalStateException("no image at " + tar + ": build it with mvn -pl seed-manager/image -am package");
        }
        String reference = registry.hostPort() + "/edgeplane/seed-manager:" + tag;
        Path cache = TestBedRun.current().dir().resolve("jib-push");
        JibContainer pushed = Jib.from(TarImage.at(tar)).containerize(Containerizer.to(RegistryImage.named(reference))
                .setAllowInsecureRegistries(true)
                .setBaseImageLayersCache(cache)
                .setApplicationLayersCache(cache)
                .setToolName("edgeplane-e2e"));
        System.out.printf("e2e: seed manager image %s pushed as %s (%d MiB tar)%n", pushed.getDigest(), reference,
                Files.size(tar) / (1024 * 1024));
        return reference;
    }
}
