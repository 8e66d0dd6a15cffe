package io.edgeplane.testbed;

import io.edgeplane.testbed.images.ImageArchive;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.fabric8.kubernetes.client.LocalPortForward;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.Container.ExecResult;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.k3s.K3sContainer;
import org.testcontainers.utility.DockerImageName;
import org.testcontainers.utility.MountableFile;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The self-test's workload flow against a K3s container at the pinned Kubernetes version, for
 * machines with a Docker engine. Skipped (not failed) where there is none, such as this project's CI.
 */
@Testcontainers(disabledWithoutDocker = true)
class K3sSelfTestE2E {
    @Container
    static final K3sContainer K3S = new K3sContainer(DockerImageName.parse("rancher/k3s")
            .withTag(ComponentVersions.pinned().kubernetes() + "-k3s1"));

    @Test
    void theLocallyBuiltImageRunsAndAnswers() throws Exception {
        ImageArchive archive = TestImages.helloHttpArchive();
        K3S.copyFileToContainer(MountableFile.forHostPath(archive.tar()), "/tmp/hello-http.tar");
        ExecResult imported = K3S.execInContainer("ctr", "-n", "k8s.io", "images", "import", "/tmp/hello-http.tar");
        assertThat(imported.getExitCode()).as(imported.getStderr()).isZero();

        try (KubernetesClient client = new KubernetesClientBuilder().withConfig(Config.fromKubeconfig(K3S.getKubeConfigYaml())).build()) {
            Pod pod = Pods.helloHttp("hello-k3s", null, archive.reference(), 8080, false);
            pod.getSpec().getContainers().get(0).setImagePullPolicy("Never");
            client.pods().inNamespace("default").resource(pod).create();
            Pods.awaitRunning(client, "default", "hello-k3s", Duration.ofSeconds(120));
            try (LocalPortForward forward = client.pods().inNamespace("default").withName("hello-k3s").portForward(8080)) {
                assertThat(HttpProbe.get("http://127.0.0.1:" + forward.getLocalPort() + "/", Duration.ofSeconds(20)))
                        .contains("hello-k3s");
            }
        }
    }
}
