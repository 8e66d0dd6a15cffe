package io.edgeplane.testbed.conformance;

import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The images the selected conformance tests run, pushed to the test registry under the repository
 * paths and tags e2e.test asks for (k8s.io/kubernetes/test/utils/image/manifest.go of the pinned
 * version), and the {@code KUBE_TEST_REPO_LIST} file that points e2e.test's registries there:
 * <ul>
 *   <li>{@code e2e-test-images/agnhost:2.63.0} (and the previous {@code 2.55}): agnhost built from the pinned
 *       module, plus {@code /bin/sh}, the test bed's static shell with the tools the tests call inside
 *       agnhost containers (nc, curl, wget, dig, getent, nslookup, seq, sleep, cat, hostname) built in, where the real image has a
 *       Debian userland;</li>
 *   <li>{@code e2e-test-images/glibc-dns-testing:2.0.0}: the same shell alone. The DNS tests' second prober runs
 *       it with {@code sh -c} loops of dig and getent, as the agnhost prober does; the real image's point, a glibc
 *       resolver (for getent), is not reproduced: getent here resolves as Go's resolver does;</li>
 *   <li>{@code pause:3.10.2}: the test bed's pause program.</li>
 * </ul>
 * Every other image of the manifest (busybox, nginx, httpd, sample-apiserver, ...)
 * is absent: the run leaves out the tests that need one.
 */
public final class ConformanceImages {
    private static final Logger LOG = LoggerFactory.getLogger(ConformanceImages.class);
    static final String AGNHOST = "e2e-test-images/agnhost:2.63.0";
    static final String AGNHOST_PREVIOUS = "e2e-test-images/agnhost:2.55";
    static final String GLIBC_DNS_TESTING = "e2e-test-images/glibc-dns-testing:2.0.0";
    static final String PAUSE = "pause:3.10.2";
    private static final String PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

    private ConformanceImages() {
    }

    /** Pushes the images and writes the repo list into {@code dir}; returns the repo list's path. */
    public static Path push(LocalRegistry registry, ConformanceBinaries binaries, Path dir) {
        long started = System.nanoTime();
        LayeredImage agnhost = new LayeredImage(Map.of("/agnhost", binaries.agnhost(), "/bin/sh", binaries.shell()),
                "/agnhost", List.of("pause"), Map.of("PATH", PATH));
        for (String repositoryAndTag : List.of(AGNHOST, AGNHOST_PREVIOUS)) {
            agnhost.push(registry.hostPort() + "/" + repositoryAndTag);
        }
        new LayeredImage(Map.of("/bin/sh", binaries.shell()), "/bin/sh", List.of(), Map.of("PATH", PATH))
                .push(registry.hostPort() + "/" + GLIBC_DNS_TESTING);
        new LayeredImage(Map.of("/pause", TestImages.pauseBinary()), "/pause", List.of(), Map.of())
                .push(registry.hostPort() + "/" + PAUSE);
        Path repoList = dir.resolve("repo-list.yaml");
        try {
            Files.createDirectories(dir);
            Files.writeString(repoList, repoList(registry.hostPort()));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + repoList, e);
        }
        LOG.info("conformance images pushed to registry={} in {} ms, repo list {}", registry.hostPort(),
                (System.nanoTime() - started) / 1_000_000, repoList);
        return repoList;
    }

    /**
     * Every registry of the manifest mapped into the test registry, so that an image the run lacks fails
     * to pull from there (a clear ErrImagePull) instead of reaching for the internet. The invalid
     * and private registries stay: tests expect pulls from them to fail.
     */
    static String repoList(String hostPort) {
        return """
                promoterE2eRegistry: %1$s/e2e-test-images
                buildImageRegistry: %1$s/build-image
                gcEtcdRegistry: %1$s
                gcRegistry: %1$s
                sigStorageRegistry: %1$s/sig-storage
                dockerLibraryRegistry: %1$s/library
                cloudProviderGcpRegistry: %1$s/cloud-provider-gcp
                invalidRegistry: invalid.registry.k8s.io/invalid
                privateRegistry: gcr.io/k8s-authenticated-test
                """.formatted(hostPort);
    }
}
