package io.edgeplane.testbed;

import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Statically provisioned PersistentVolumes for a seed cluster without a provisioner: {@code local}
 * volumes (unlike hostPath, they honour a pod's fsGroup) on directories of the node, with no storage
 * class, so that a claim without {@code storageClassName} binds to them when the cluster has no default
 * class. The directories are world-writable, so containers running as any non-root user can write
 * with or without an fsGroup. Reclaim policy Retain: a released volume is not reused.
 */
final class StaticVolumes {
    static final String PREFIX = "testbed-pv-";
    private static final String ON_NODE = "/var/lib/edgeplane-testbed-volumes/";

    private StaticVolumes() {
    }

    /** Creates {@code count} volumes of {@code size} on {@code node}; returns their directories as the host sees them. */
    static List<Path> create(KubernetesClient client, NodeHost node, int count, String size) {
        List<Path> dirs = new ArrayList<>();
        for (int i = 1; i <= count; i++) {
            String path = ON_NODE + "pv-" + i;
            Path onHost = node.hostPath(path);
            try {
                Files.createDirectories(onHost);
                Files.setPosixFilePermissions(onHost, PosixFilePermissions.fromString("rwxrwxrwx"));
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            client.persistentVolumes().resource(new PersistentVolumeBuilder()
                    .withNewMetadata().withName(PREFIX + i).withLabels(Map.of("edgeplane.io/testbed", "true")).endMetadata()
                    .withNewSpec()
                    .withCapacity(Map.of("storage", new Quantity(size)))
                    .withAccessModes("ReadWriteOnce")
                    .withStorageClassName("")
                    .withPersistentVolumeReclaimPolicy("Retain")
                    .withVolumeMode("Filesystem")
                    .withNewLocal().withPath(path).endLocal()
                    .withNewNodeAffinity().withNewRequired().addNewNodeSelectorTerm().addNewMatchExpression()
                    .withKey("kubernetes.io/hostname").withOperator("In").withValues(node.nodeName())
                    .endMatchExpression().endNodeSelectorTerm().endRequired().endNodeAffinity()
                    .endSpec()
                    .build()).create();
            dirs.add(onHost);
        }
        return dirs;
    }
}
