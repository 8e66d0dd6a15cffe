package io.edgeplane.testbed.images;

import java.nio.file.Path;

/**
 * An image tar and the reference it is tagged with, which is the name containerd lists after
 * {@code ctr -n k8s.io images import <tar>} and the name a pod spec uses to run it without a pull.
 */
public record ImageArchive(Path tar, String reference) {
}
