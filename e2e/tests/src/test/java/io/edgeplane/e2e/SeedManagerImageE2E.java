package io.edgeplane.e2e;

import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.SeedCluster;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed manager's container image, built by Maven without a container engine, runs on a real
 * kubelet and containerd as a hardened pod: a non-root user, a read-only root file system, the data
 * directory and /tmp on volumes, the Seed from a ConfigMap. It starts in its embedded mode (its own
 * PostgreSQL as the same non-root user), answers /health, and has the commands fetch-binaries.sh runs.
 */
class SeedManagerImageE2E {
    private static final String NAMESPACE = "default";

    @Test
    void theImageRunsAsANonRootPodOnAReadOnlyRoot() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        String host = TestNetwork.current().hostAddress();
        try (LocalRegistry registry = LocalRegistry.start(host);
             SeedCluster seedCluster = SeedCluster.start(binaries, registry, host, 0)) {
            String image = SeedManagerImage.push(registry);
            KubernetesClient client = seedCluster.client();
            Path seed = Path.of(System.getProperty("repositoryRoot", "."), "datacenters", "seed.yaml");
            client.configMaps().inNamespace(NAMESPACE).resource(new ConfigMapBuilder()
                    .withNewMetadata().withName("seed").endMetadata()
                    .withData(Map.of("seed.yaml", Files.readString(seed))).build()).create();
            client.pods().inNamespace(NAMESPACE).resource(pod(image)).create();

            long started = System.nanoTime();
            Pod ready = client.pods().inNamespace(NAMESPACE).withName("seed-manager")
                    .waitUntilCondition(p -> p != null && p.getStatus() != null && p.getStatus().getConditions() != null
                            && p.getStatus().getConditions().stream().anyMatch(c -> c.getType().equals("Ready")
                            && c.getStatus().equals("True")), 4, TimeUnit.MINUTES);
            System.out.printf("e2e: seed manager pod Ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);

            // Ready means the kubelet's probe reached HTTPS on the pod's address; plain HTTP answers on loopback only.
            Path kubeconfig = seedCluster.adminKubeconfig();
            String inPod = Kubectl.run(binaries, kubeconfig, "exec", "-n", NAMESPACE, "seed-manager", "--",
                    "bash", "-c", "command -v bash curl flock tar gzip sha256sum awk sed grep && id -u"
                            + " && { touch /usr/x 2>/dev/null && echo root-writable || echo root-read-only; }"
                            + " && ls /var/lib/edgeplane");
            assertThat(inPod).contains("/usr/bin/bash", "/usr/bin/curl", "/usr/bin/flock", "/usr/bin/sha256sum",
                    "/usr/bin/awk", "65532", "root-read-only", "admin-token", "postgres");
            assertThat(Kubectl.run(binaries, kubeconfig, "exec", "-n", NAMESPACE, "seed-manager", "--",
                    "curl", "-sS", "http://127.0.0.1:8080/health")).contains("UP");
        }
    }

    private static Pod pod(String image) {
        return new PodBuilder()
                .withNewMetadata().withName("seed-manager").endMetadata()
                .withNewSpec()
                .withNewSecurityContext().withRunAsNonRoot(true).withFsGroup(65532L)
                .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile().endSecurityContext()
                .addNewContainer()
                .withName("seed-manager").withImage(image)
                .withNewSecurityContext().withReadOnlyRootFilesystem(true).withAllowPrivilegeEscalation(false)
                .withNewCapabilities().addToDrop("ALL").endCapabilities().endSecurityContext()
                .addNewPort().withContainerPort(8443).withName("https").endPort()
                .withNewReadinessProbe().withNewHttpGet().withScheme("HTTPS").withPath("/health").withNewPort("https").endHttpGet()
                .withPeriodSeconds(2).withFailureThreshold(120).endReadinessProbe()
                .addNewVolumeMount().withName("data").withMountPath("/var/lib/edgeplane").endVolumeMount()
                .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
                .addNewVolumeMount().withName("seed").withMountPath("/etc/edgeplane").withReadOnly(true).endVolumeMount()
                .endContainer()
                .addNewVolume().withName("data").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("tmp").withNewEmptyDir().endEmptyDir().endVolume()
                .addNewVolume().withName("seed").withNewConfigMap().withName("seed").endConfigMap().endVolume()
                .endSpec().build();
    }
}
