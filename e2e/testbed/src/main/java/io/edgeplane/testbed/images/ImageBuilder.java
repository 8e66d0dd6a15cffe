package io.edgeplane.testbed.images;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.LogEvent;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.TarImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;

/**
 * An image of one static binary on an empty base, built with Jib (no Docker engine): the binary
 * is {@code /<entrypointName>}, the entrypoint; {@code defaultArgs} are the image's command, which
 * a pod's {@code args} replace. Images are reproducible (fixed timestamps), so the same binary
 * always gives the same digest. Docker v2.2 format: every registry, containerd and
 * {@code ctr images import} accept it.
 */
public final class ImageBuilder {
    private static final Logger LOG = LoggerFactory.getLogger(ImageBuilder.class);
    private static final String TOOL_NAME = "edgeplane-testbed";

    private final Path binary;
    private final String entrypointName;
    private final List<String> defaultArgs;
    private final Architecture architecture;
    private final Map<String, String> environment;

    private ImageBuilder(Path binary, String entrypointName, List<String> defaultArgs, Architecture architecture,
                         Map<String, String> environment) {
        this.binary = binary;
        this.entrypointName = entrypointName;
        this.defaultArgs = List.copyOf(defaultArgs);
        this.architecture = architecture;
        this.environment = new TreeMap<>(environment);
    }

    /** An image for the host architecture; the binary must be static (it has no libc to link against). */
    public static ImageBuilder fromBinary(Path binary, String entrypointName, List<String> defaultArgs) {
        if (!Files.isRegularFile(binary)) {
            throw new IllegalArgumentException("image binary " + binary + " does not exist");
        }
        if (entrypointName.isBlank() || entrypointName.contains("/")) {
            throw new IllegalArgumentException("entrypoint name must be a plain file name, not '" + entrypointName + "'");
        }
        StaticBinaryCheck.requireStatic(binary);
        return new ImageBuilder(binary, entrypointName, defaultArgs, Architecture.host(), Map.of());
    }

    /** The platform recorded in the image config; it must match the binary's architecture. */
    public ImageBuilder architecture(Architecture architecture) {
        return new ImageBuilder(binary, entrypointName, defaultArgs, architecture, environment);
    }

    /**
     * Environment variables recorded in the image config (a pod's {@code env} overrides them): the
     * same binary with other variables is another image, with another digest.
     */
    public ImageBuilder environment(Map<String, String> variables) {
        return new ImageBuilder(binary, entrypointName, defaultArgs, architecture, variables);
    }

    /**
     * Pushes to a registry, over plain HTTP if the registry has no TLS (as a {@link LocalRegistry}),
     * and returns {@code reference}.
     */
    public String push(String reference) {
        try {
            JibContainer pushed = containerize(reference,
                    Containerizer.to(RegistryImage.named(reference)).setAllowInsecureRegistries(true));
            LOG.info("image={} pushed digest={} arch={}", reference, pushed.getDigest(), architecture.goarch());
            return reference;
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("invalid image reference " + reference, e);
        }
    }

    /** Pushes as {@code <registry host:port>/<repositoryAndTag>} and returns that reference. */
    public String push(LocalRegistry registry, String repositoryAndTag) {
        return push(registry.hostPort() + "/" + repositoryAndTag);
    }

    /** Writes a {@code docker save}-style tar that {@code ctr images import} loads under {@code reference}. */
    public ImageArchive writeArchive(Path tar, String reference) {
        try {
            JibContainer written = containerize(reference, Containerizer.to(TarImage.at(tar).named(reference)));
            LOG.info("image={} archived to {} id={} arch={}", reference, tar, written.getImageId(), architecture.goarch());
            return new ImageArchive(tar, reference);
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("invalid image reference " + reference, e);
        }
    }

    private JibContainer containerize(String reference, Containerizer target) {
        String path = "/" + entrypointName;
        JibContainerBuilder image = Jib.fromScratch()
                .setFormat(ImageFormat.Docker)
                .setPlatforms(Set.of(new Platform(architecture.goarch(), "linux")))
                .addFileEntriesLayer(FileEntriesLayer.builder()
                        .setName(entrypointName)
                        .addEntry(binary, AbsoluteUnixPath.get(path), FilePermissions.fromOctalString("755"))
                        .build())
                .setEntrypoint(path)
                .setProgramArguments(defaultArgs)
                .setEnvironment(environment);
        // Jib keeps compressed layers by digest; sharing the cache with later runs makes a warm build a lookup.
        Path cache = TestImageCache.root().resolve("jib");
        target.setToolName(TOOL_NAME)
                .setBaseImageLayersCache(cache)
                .setApplicationLayersCache(cache)
                .addEventHandler(LogEvent.class, event -> LOG.debug("image={} jib: {}", reference, event.getMessage()));
        try {
            return image.containerize(target);
        } catch (RegistryException | IOException | CacheDirectoryCreationException e) {
            throw new IllegalStateException("cannot build image " + reference + " from " + binary + ": " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot build image " + reference + " from " + binary + ": "
                    + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while building image " + reference, e);
        }
    }
}
