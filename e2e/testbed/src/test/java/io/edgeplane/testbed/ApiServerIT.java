package io.edgeplane.testbed;

import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(ApiServerExtension.class)
class ApiServerIT {

    @Test
    void aRealApiServerAnswersAtThePinnedVersion(ApiServer server) {
        KubernetesClient client = server.client();
        assertThat(client.getKubernetesVersion().getGitVersion()).isEqualTo(ComponentVersions.pinned().kubernetes());

        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName("testbed-selftest").endMetadata().build())
                .serverSideApply();
        client.configMaps().inNamespace("testbed-selftest").resource(new ConfigMapBuilder()
                .withNewMetadata().withName("hello").endMetadata().withData(Map.of("k", "v")).build()).serverSideApply();
        assertThat(client.configMaps().inNamespace("testbed-selftest").withName("hello").get().getData()).containsEntry("k", "v");

        assertThat(server.kubeconfig()).exists();
        System.out.printf("testbed: kube-apiserver + etcd start time %d ms%n", server.startTime().toMillis());
    }
}
