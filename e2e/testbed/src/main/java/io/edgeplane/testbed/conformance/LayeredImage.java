package io.edgeplane.testbed.conformance;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.FilePermissions;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import com.google.cloud.tools.jib.api.buildplan.Platform;
import io.edgeplane.testbed.CacheDirectory;
import io.edgeplane.testbed.images.Architecture;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutionException;

/**
 * A one-layer image of a few static binaries on an empty base, built with Jib like the test bed's
 * {@code ImageBuilder} (which holds one binary only): the conformance tests' images need a shell
 * beside their program. Reproducible (fixed timestamps), Docker v2.2 format, host architecture.
 *
 * @param files       path in the image to the host file put there (mode 755)
 * @param entrypoint  the image's entrypoint, a path in {@code files}
 * @param command     the image's default arguments, which a pod's {@code args} replace
 * @param environment variables of the image config
 */
public record LayeredImage(Map<String, Path> files, String entrypoint, List<String> command, Map<String, String> environment) {
    private static final Logger LOG = LoggerFactory.getLogger(LayeredImage.class);
    private static final String TOOL_NAME = "edgeplane-testbed";

    public LayeredImage {
        files = new LinkedHashMap<>(files);
        for (Map.Entry<String, Path> file : files.entrySet()) {
            if (!file.getKey().startsWith("/")) {
                throw new IllegalArgumentException("image path must be absolute, not '" + file.getKey() + "'");
            }
            if (!Files.isRegularFile(file.getValue())) {
                throw new IllegalArgumentException("image file " + file.getKey() + ": " + file.getValue() + " does not exist");
            }
        }
        if (!files.containsKey(entrypoint)) {
            throw new IllegalArgumentException("entrypoint " + entrypoint + " is not one of the image's files " + files.keySet());
        }
        command = List.copyOf(command);
        environment = Map.copyOf(environment);
    }

    /** Pushes to {@code reference} (plain HTTP allowed, as a {@code LocalRegistry} serves) and returns it. */
    public String push(String reference) {
        FileEntriesLayer.Builder layer = FileEntriesLayer.builder().setName("files");
        files.forEach((path, file) -> layer.addEntry(file, AbsoluteUnixPath.get(path), FilePermissions.fromOctalString("755")));
        JibContainerBuilder image = Jib.fromScratch()
                .setFormat(ImageFormat.Docker)
                .setPlatforms(Set.of(new Platform(Architecture.host().goarch(), "linux")))
                .addFileEntriesLayer(layer.build())
                .setEntrypoint(entrypoint)
                .setProgramArguments(command)
                .setEnvironment(environment);
        // Jib keeps compressed layers by digest: a warm push of the same files is a lookup.
        Path cache = CacheDirectory.root().resolve("conformance").resolve("jib");
        try {
            Containerizer target = Containerizer.to(RegistryImage.named(reference)).setAllowInsecureRegistries(true)
                    .setToolName(TOOL_NAME).setBaseImageLayersCache(cache).setApplicationLayersCache(cache);
            JibContainer pushed = image.containerize(target);
            LOG.info("image={} pushed digest={}", reference, pushed.getDigest());
            return reference;
        } catch (InvalidImageReferenceException e) {
            throw new IllegalArgumentException("invalid image reference " + reference, e);
        } catch (RegistryException | IOException | CacheDirectoryCreationException e) {
            throw new IllegalStateException("cannot push image " + reference + ": " + e.getMessage(), e);
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot push image " + reference + ": " + e.getCause().getMessage(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while pushing image " + reference, e);
        }
    }
}
