package io.edgeplane.seedmanager.cluster.tenant;

import io.edgeplane.seedmanager.workload.device.DeviceReport;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.fabric8.kubernetes.api.model.FieldsV1;
import io.fabric8.kubernetes.api.model.GenericKubernetesResource;
import io.fabric8.kubernetes.api.model.ManagedFieldsEntryBuilder;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import org.junit.jupiter.api.Test;

import java.time.Instant;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** What the cache keeps of each object, and what it indexes it by. */
class TenantKindsTest {

    @Test
    void aNodeIsKeptWithoutWhatNobodyReads() {
        Node node = new NodeBuilder().withNewMetadata().withName("edge-1").withUid("u1")
                .addNewManagedField().withManager("kubelet").withFieldsV1(new FieldsV1()).endManagedField().endMetadata()
                .withNewStatus().addNewCondition().withType("Ready").withStatus("True").endCondition()
                .addNewAddress().withType("InternalIP").withAddress("10.0.0.1").endAddress()
                .addNewImage().withNames("registry.example/app:1").withSizeBytes(1L).endImage()
                .withNewNodeInfo().withKubeletVersion("v1.36.3").endNodeInfo().endStatus().build();
        TenantKinds.NODES.slim(node);
        assertThat(node.getMetadata().getManagedFields()).isNull();
        assertThat(node.getStatus().getImages()).isNull();
        assertThat(node.getStatus().getConditions()).hasSize(1);
        assertThat(node.getStatus().getAddresses()).hasSize(1);
        assertThat(node.getStatus().getNodeInfo().getKubeletVersion()).isEqualTo("v1.36.3");
    }

    @Test
    void aDeviceKeepsWhenItsAgentWasLastHeard() {
        Instant heard = Instant.parse("2026-01-01T12:00:00Z");
        GenericKubernetesResource device = new GenericKubernetesResource();
        device.setMetadata(new ObjectMetaBuilder().withName("edge-1").withNamespace(DeviceWorkloadsResource.NAMESPACE).withManagedFields(
                new ManagedFieldsEntryBuilder().withManager(DeviceWorkloadsResource.AGENT_MANAGER).withSubresource("status")
                        .withTime(heard.toString()).withFieldsV1(new FieldsV1()).build(),
                new ManagedFieldsEntryBuilder().withManager("edgeplane-workload-hello").withTime(heard.plusSeconds(5).toString()).build())
                .build());
        device.setAdditionalProperty("spec", Map.of("workloads", List.of(Map.of("name", "hello"), Map.of("name", "other"))));
        device.setAdditionalProperty("status", Map.of("actions", List.of(Map.of("seq", 1, "workload", "hello", "action", "stop",
                "at", heard.toString()))));

        TenantKinds.DEVICE_WORKLOADS.slim(device);
        assertThat(device.getMetadata().getManagedFields()).singleElement()
                .satisfies(f -> assertThat(f.getFieldsV1()).isNull());
        assertThat(DeviceReport.of(device).orElseThrow().heardAt()).isEqualTo(heard);
        assertThat(TenantKinds.DEVICE_WORKLOADS.indexes().get(TenantKinds.BY_WORKLOAD).apply(device)).containsExactly("hello", "other");
        assertThat(TenantKinds.DEVICE_WORKLOADS.indexes().get(TenantKinds.WITH_ACTIONS).apply(device)).containsExactly(TenantKinds.PENDING);
    }

    @Test
    void servingCsrsAreIndexedByTheNodeThatAsks() {
        var csr = new CertificateSigningRequestBuilder().withNewMetadata().withName("csr-1").endMetadata().withNewSpec()
                .withSignerName(TenantKinds.KUBELET_SERVING).withUsername("system:node:edge-1").endSpec().build();
        assertThat(TenantKinds.SERVING_CSRS.indexes().get(TenantKinds.BY_NODE).apply(csr)).containsExactly("edge-1");
        var client = new CertificateSigningRequestBuilder(csr).editSpec().withSignerName("kubernetes.io/kube-apiserver-client-kubelet")
                .endSpec().build();
        assertThat(TenantKinds.servingNode(client)).isEmpty();
        var admin = new CertificateSigningRequestBuilder(csr).editSpec().withUsername("admin").endSpec().build();
        assertThat(TenantKinds.servingNode(admin)).isEmpty();
    }
}
