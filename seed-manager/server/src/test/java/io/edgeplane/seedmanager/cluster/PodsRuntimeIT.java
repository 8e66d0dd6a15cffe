package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneRuntime;
import io.edgeplane.seedmanager.cluster.controlplane.ControlPlaneTarget;
import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.testbed.ControlPlane;
import io.edgeplane.testbed.KubernetesBinaries;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The pods runtime against a real seed cluster (the test bed's control plane, without nodes):
 * creating a cluster applies exactly the expected objects in its namespace, an upgrade changes no
 * component before every one it depends on has rolled out (which, with no node to run etcd,
 * never happens), and deleting leaves nothing.
 */
class PodsRuntimeIT {
    @TempDir
    Path dir;

    @Test
    void createsExactlyTheExpectedObjectsAndDeletionLeavesNothing() throws Exception {
        try (ControlPlane seedCluster = ControlPlane.start(KubernetesBinaries.ensure(), "127.0.0.1", Duration.ofSeconds(40))) {
            Path data = dir.resolve("data");
            Path seedFile = SeedManagerInstance.exampleSeed(data);
            Files.writeString(seedFile, Files.readString(seedFile).replace("exposeStrategy: HostPort", "exposeStrategy: NodePort"));
            Map<String, Object> config = Map.of(
                    "edgeplane.runtime", "pods",
                    "edgeplane.pods-runtime.kubeconfig", seedCluster.apiServer().kubeconfig().toString(),
                    "edgeplane.pods-runtime.images.etcd", "registry.example/etcd:v3.6.16",
                    "edgeplane.pods-runtime.images.konnectivity-server", "registry.example/konnectivity-server:v0.34.0",
                    "edgeplane.pods-runtime.images.kube-apiserver", "registry.example/kube-apiserver:{version}",
                    "edgeplane.pods-runtime.images.kube-controller-manager", "registry.example/kube-controller-manager:{version}",
                    "edgeplane.pods-runtime.images.kube-scheduler", "registry.example/kube-scheduler:{version}",
                    "edgeplane.kubernetes.supported", List.of("v1.36.2", "v1.36.3"));
            KubernetesClient client = seedCluster.client();
            try (SeedManagerInstance seed = SeedManagerInstance.start(data, config)) {
                seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}");
                assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters",
                        "{\"name\":\"factory\",\"datacenter\":\"factory-bremen\",\"version\":\"v1.36.2\"}").status()).isEqualTo(202);
                String namespace = "cluster-acme-factory";
                List<String> expected = List.of("ConfigMap/audit-policy", "ConfigMap/egress-selector", "Deployment/kube-apiserver",
                        "Deployment/kube-controller-manager", "Deployment/kube-scheduler", "Secret/encryption-config",
                        "Secret/konnectivity-server", "Secret/kubeconfigs", "Secret/pki", "Service/etcd", "Service/etcd-client", "Service/kube-apiserver", "StatefulSet/etcd");
                List<String> found = List.of();
                for (int i = 0; i < 120 && !found.equals(expected); i++) {
                    Thread.sleep(500);
                    found = objectsIn(client, namespace);
                }
                assertThat(found).as("objects in %s", namespace).isEqualTo(expected);
                assertThat(client.namespaces().withName(namespace).get().getMetadata().getLabels())
                        .containsEntry("edgeplane.io/project", "acme");
                assertThat(client.secrets().inNamespace(namespace).withName("pki").get().getData())
                        .as("CA keys pods never need stay out").doesNotContainKeys("etcd-ca.key", "front-proxy-ca.key");
                assertThat(client.services().inNamespace(namespace).withName("kube-apiserver").get().getSpec().getType()).isEqualTo("NodePort");
                assertThat(client.services().inNamespace(namespace).withName("kube-apiserver").get().getSpec().getPorts())
                        .as("the tunnel's port beside the apiserver's").anySatisfy(p -> {
                            assertThat(p.getName()).isEqualTo("tunnel");
                            assertThat(p.getNodePort()).isNotNull();
                        });
                String tunnelSerial = tunnelSerial(client, namespace);

                // A rotation step waits until every apiserver replica runs the keys: with no node, none does.
                ControlPlaneRuntime runtime = seed.context().getBean(ControlPlaneRuntime.class);
                ControlPlaneTarget target = seed.context().getBean(ClusterTargets.class).resolve(
                        seed.context().getBean(ClusterRepository.class).findByProjectAndName("acme", "factory").orElseThrow());
                assertThat(client.apps().deployments().inNamespace(namespace).withName("kube-apiserver").get()
                        .getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("edgeplane.io/encryption-keys", "key-1");
                assertThat(runtime.encryptionConfigPending(target)).hasValueSatisfying(why -> assertThat(why).contains("rolling out"));
                EncryptionKeys added = target.pki().encryptionKeys().withNewKey(new SecureRandom());
                ControlPlaneTarget rotating = new ControlPlaneTarget(target.clusterId(), target.spec(), target.pki().withEncryptionKeys(added),
                        target.ports(), target.binariesDir());
                assertThat(runtime.encryptionConfigPending(rotating))
                        .hasValueSatisfying(why -> assertThat(why).contains("does not name the encryption keys key-1,key-2"));

                assertThat(image(client, namespace, "kube-apiserver")).isEqualTo("registry.example/kube-apiserver:v1.36.2");

                assertThat(seed.send(ADMIN_TOKEN, "PATCH", "/api/v1/projects/acme/clusters/factory", "{\"version\":\"v1.36.3\"}")
                        .status()).isEqualTo(202);
                Thread.sleep(3000); // a few reconcile passes: nothing may roll before etcd has
                assertThat(image(client, namespace, "kube-apiserver")).isEqualTo("registry.example/kube-apiserver:v1.36.2");
                assertThat(image(client, namespace, "kube-controller-manager")).isEqualTo("registry.example/kube-controller-manager:v1.36.2");
                assertThat(image(client, namespace, "kube-scheduler")).isEqualTo("registry.example/kube-scheduler:v1.36.2");
                var cluster = seed.get(ADMIN_TOKEN, "/api/v1/projects/acme/clusters/factory").json();
                assertThat(cluster.path("phase").asText()).isEqualTo("Updating");
                assertThat(cluster.path("conditions").toString()).contains("UpgradePending").contains("waits for etcd");
                assertThat(tunnelSerial(client, namespace)).as("the tunnel credentials are kept across reconciles").isEqualTo(tunnelSerial);

                assertThat(seed.delete(ADMIN_TOKEN, "/api/v1/projects/acme/clusters/factory").status()).isEqualTo(202);
                for (int i = 0; i < 120 && client.namespaces().withName(namespace).get() != null; i++) {
                    Thread.sleep(500);
                }
                assertThat(client.namespaces().withName(namespace).get()).as("namespace removed").isNull();
                assertThat(seed.get(ADMIN_TOKEN, "/api/v1/projects/acme/clusters/factory").status()).isEqualTo(404);
            }
        }
    }

    private static String tunnelSerial(KubernetesClient client, String namespace) {
        String serial = client.secrets().inNamespace(namespace).withName("konnectivity-server").get().getData().get("serial");
        assertThat(client.apps().deployments().inNamespace(namespace).withName("kube-apiserver").get()
                .getSpec().getTemplate().getMetadata().getAnnotations())
                .containsEntry("edgeplane.io/tunnel-credentials", new String(java.util.Base64.getDecoder().decode(serial)));
        return serial;
    }

    private static String image(KubernetesClient client, String namespace, String deployment) {
        return client.apps().deployments().inNamespace(namespace).withName(deployment).get()
                .getSpec().getTemplate().getSpec().getContainers().get(0).getImage();
    }

    private static List<String> objectsIn(KubernetesClient client, String namespace) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.addAll(client.configMaps().inNamespace(namespace).list().getItems().stream()
                .filter(c -> !c.getMetadata().getName().equals("kube-root-ca.crt")).toList());
        objects.addAll(client.secrets().inNamespace(namespace).list().getItems());
        objects.addAll(client.services().inNamespace(namespace).list().getItems());
        objects.addAll(client.apps().deployments().inNamespace(namespace).list().getItems());
        objects.addAll(client.apps().statefulSets().inNamespace(namespace).list().getItems());
        return new ArrayList<>(new TreeSet<>(objects.stream().map(o -> o.getKind() + "/" + o.getMetadata().getName()).toList()));
    }
}
