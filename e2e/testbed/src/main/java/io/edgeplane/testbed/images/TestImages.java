package io.edgeplane.testbed.images;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The images the end-to-end tests run, built from e2e/testbed/images on first use (binaries and
 * archives are cached across runs) for the host architecture:
 * <ul>
 *   <li>{@code edgeplane/hello-http:1}: answers {@code GET /} with "hello from &lt;hostname&gt;"
 *       (and ": $GREETING" if set), {@code GET /healthz} with 200; listens on $PORT (8080). With args
 *       {@code echo} it copies stdin to stdout after an "echo from &lt;hostname&gt;" line (for {@code kubectl exec -i}); with args
 *       {@code get URL [FILE]} it is a client instead: GETs URL until it answers (at most 60 s), prints the
 *       body and writes it to FILE, e.g. to prove from a pod that a Service answers by its DNS name; with
 *       {@code TLS_CERT_FILE} and {@code TLS_KEY_FILE} it serves HTTPS, also as an admission webhook
 *       ({@code POST /validate}) and the aggregated API {@code hello.edgeplane.io/v1};</li>
 *   <li>{@code edgeplane/hello-http:2} (and any other version, {@link #helloHttp(LocalRegistry, String)}): the same
 *       program in a different image (its config sets {@code HELLO_VERSION=2}, so the digest differs), answering
 *       "hello from &lt;hostname&gt; (version 2)": a new app version for update and staged-deploy tests;</li>
 *   <li>{@code edgeplane/pause:3.10}: the pod sandbox process (kubelet's {@code --pod-infra-container-image}).</li>
 * </ul>
 */
public final class TestImages {
    private static final Logger LOG = LoggerFactory.getLogger(TestImages.class);
    public static final String HELLO_HTTP = "edgeplane/hello-http:1";
    private static final String HELLO_HTTP_REPOSITORY = "edgeplane/hello-http";
    private static final Pattern VERSION = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    public static final String PAUSE = "edgeplane/pause:3.10";
    /** Registry part of archive references: not resolvable, so a pull attempt fails loudly instead of fetching. */
    public static final String ARCHIVE_REGISTRY = "edgeplane.local";

    private static final TestImageSource HELLO_HTTP_SOURCE = new TestImageSource("hello-http", List.of("go.mod", "main.go", "webhook.go", "bench.go"));
    private static final TestImageSource PAUSE_SOURCE = TestImageSource.program("pause");

    private TestImages() {
    }

    /** Builds (if needed) and pushes hello-http; returns e.g. {@code 10.222.0.1:5000/edgeplane/hello-http:1}. */
    public static String helloHttp(LocalRegistry registry) {
        return push(HELLO_HTTP_SOURCE, registry, HELLO_HTTP);
    }

    /**
     * Builds (if needed) and pushes {@code edgeplane/hello-http:<version>}; returns e.g.
     * {@code 10.222.0.1:5000/edgeplane/hello-http:2}. Version "1" is {@link #helloHttp(LocalRegistry)}; any
     * other is the same program with {@code HELLO_VERSION=<version>} in the image config, which it
     * names in its answer ("hello from &lt;hostname&gt; (version 2)").
     */
    public static String helloHttp(LocalRegistry registry, String version) {
        if (!VERSION.matcher(version).matches()) {
            throw new IllegalArgumentException("not an image tag: " + version);
        }
        if (version.equals("1")) {
            return helloHttp(registry);
        }
        long started = System.nanoTime();
        String reference = image(HELLO_HTTP_SOURCE).environment(Map.of("HELLO_VERSION", version))
                .push(registry, HELLO_HTTP_REPOSITORY + ":" + version);
        LOG.info("image={} built and pushed in {} ms", reference, (System.nanoTime() - started) / 1_000_000);
        return reference;
    }

    /** Builds (if needed) and pushes pause; returns e.g. {@code 10.222.0.1:5000/edgeplane/pause:3.10}. */
    public static String pause(LocalRegistry registry) {
        return push(PAUSE_SOURCE, registry, PAUSE);
    }

    /** hello-http as a tar for {@code ctr -n k8s.io images import}, named {@code edgeplane.local/edgeplane/hello-http:1}. */
    public static ImageArchive helloHttpArchive() {
        return archive(HELLO_HTTP_SOURCE, HELLO_HTTP);
    }

    /** The hello-http binary for this host, to run outside a container. */
    public static Path helloHttpBinary() {
        return binary(HELLO_HTTP_SOURCE);
    }

    /** The pause binary for this host. */
    public static Path pauseBinary() {
        return binary(PAUSE_SOURCE);
    }

    private static String push(TestImageSource source, LocalRegistry registry, String repositoryAndTag) {
        long started = System.nanoTime();
        String reference = image(source).push(registry, repositoryAndTag);
        LOG.info("image={} built and pushed in {} ms", reference, (System.nanoTime() - started) / 1_000_000);
        return reference;
    }

    /** Cached next to the binary: the archive is reproducible, so same sources give the same tar. */
    private static synchronized ImageArchive archive(TestImageSource source, String repositoryAndTag) {
        Architecture arch = Architecture.host();
        String reference = ARCHIVE_REGISTRY + "/" + repositoryAndTag;
        Path tar = TestImageCache.entry(source.contentHash())
                .resolve(source.name() + "-linux-" + arch.goarch() + "-" + repositoryAndTag.replaceAll("[/:]", "_") + ".tar");
        if (Files.isRegularFile(tar)) {
            LOG.debug("image={} archive cached at {}", reference, tar);
            return new ImageArchive(tar, reference);
        }
        Path scratch = TestImageCache.scratchFor(tar);
        try {
            image(source).writeArchive(scratch, reference);
            TestImageCache.publish(scratch, tar);
        } finally {
            TestImageCache.discard(scratch);
        }
        return new ImageArchive(tar, reference);
    }

    private static ImageBuilder image(TestImageSource source) {
        return ImageBuilder.fromBinary(binary(source), source.name(), List.of());
    }

    /** Serialized so that parallel tests compile each binary once. */
    private static synchronized Path binary(TestImageSource source) {
        return GoStaticBuild.binary(source, Architecture.host());
    }
}
