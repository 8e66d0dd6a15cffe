package io.edgeplane.e2e;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.SeedCluster;
import io.edgeplane.testbed.images.ControlPlaneImages;
import io.edgeplane.testbed.images.LocalRegistry;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/** A seed manager set up to host control planes as pods on the test bed's seed cluster. */
final class PodsRuntimeSeed {
    private PodsRuntimeSeed() {
    }

    /**
     * Pushes the component images, points the example seed at the seed node (NodePort exposure)
     * and returns the seed manager's configuration for the pods runtime.
     */
    static Map<String, Object> configure(Path data, SeedCluster seedCluster, LocalRegistry registry, KubernetesBinaries binaries)
            throws IOException {
        Path seedFile = SeedManagerInstance.exampleSeed(data);
        Files.writeString(seedFile, Files.readString(seedFile)
                .replace("exposeStrategy: HostPort", "exposeStrategy: NodePort")
                .replace("externalAddress: 127.0.0.1", "externalAddress: " + seedCluster.nodeAddress()));
        Map<String, Object> config = new HashMap<>();
        config.put("edgeplane.runtime", "pods");
        config.put("edgeplane.pods-runtime.kubeconfig", seedCluster.adminKubeconfig().toString());
        String kubernetes = binaries.versions().kubernetes();
        ControlPlaneImages.push(registry, binaries).forEach((component, image) -> config.put("edgeplane.pods-runtime.images." + component,
                component.equals("etcd") ? image : image.replace(":" + kubernetes, ":" + "{version}")));
        return config;
    }
}
