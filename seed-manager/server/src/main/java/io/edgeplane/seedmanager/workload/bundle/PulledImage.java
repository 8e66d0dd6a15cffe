package io.edgeplane.seedmanager.workload.bundle;

import io.edgeplane.seedmanager.app.ImageReference;
import java.nio.file.Path;
import java.util.List;

/**
 * One image for one platform, fetched and verified: its manifest (the platform's manifest, never an
 * index) and the blobs it references (config first, then the layers), each stored in
 * {@code blobDir} under its hex digest.
 */
public record PulledImage(ImageReference reference, String architecture, ImageDescriptor manifest, List<ImageDescriptor> blobs,
                          Path blobDir) {

    public Path blob(ImageDescriptor descriptor) {
        return blobDir.resolve(descriptor.hex());
    }
}
