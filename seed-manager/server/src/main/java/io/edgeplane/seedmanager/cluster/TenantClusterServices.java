package io.edgeplane.seedmanager.cluster;

import io.edgeplane.seedmanager.cluster.controlplane.PublishedApiServer;
import io.fabric8.kubernetes.api.model.EndpointsBuilder;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.discovery.v1.EndpointSliceBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBuilder;
import io.fabric8.kubernetes.api.model.rbac.PolicyRuleBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * What a tenant cluster needs for the services every device runs (kube-proxy and a node-local
 * CoreDNS, static pods that use the kubelet's own credentials): read access for the group
 * {@code system:nodes} to Services, EndpointSlices and Namespaces, and, when the apiserver cannot
 * publish it itself, the {@code kubernetes} Service's endpoint at the address devices dial.
 * Pure builders plus one apply each; applying twice changes nothing.
 */
public final class TenantClusterServices {
    public static final String DNS_ROLE = "edgeplane:node-dns";
    private static final String NODES = "system:nodes";
    private static final String FIELD_MANAGER = "edgeplane";
    private static final String MANAGED_BY = "edgeplane.io";

    private TenantClusterServices() {
    }

    public static void ensure(KubernetesClient tenant, Optional<PublishedApiServer> unpublished) {
        for (HasMetadata object : objects(unpublished)) {
            tenant.resource(object).fieldManager(FIELD_MANAGER).forceConflicts().serverSideApply();
        }
    }

    static List<HasMetadata> objects(Optional<PublishedApiServer> unpublished) {
        List<HasMetadata> objects = new ArrayList<>();
        objects.add(new ClusterRoleBuilder()
                .withNewMetadata().withName(DNS_ROLE).endMetadata()
                .withRules(new PolicyRuleBuilder().withApiGroups("").withResources("services", "namespaces")
                                .withVerbs("list", "watch").build(),
                        new PolicyRuleBuilder().withApiGroups("discovery.k8s.io").withResources("endpointslices")
                                .withVerbs("list", "watch").build())
                .build());
        objects.add(nodesBinding("edgeplane:node-dns", DNS_ROLE));
        objects.add(nodesBinding("edgeplane:node-proxier", "system:node-proxier"));
        unpublished.ifPresent(api -> {
            // The apiserver runs with --endpoint-reconciler-type=none here, so nobody else writes these.
            objects.add(new EndpointsBuilder()
                    .withNewMetadata().withName("kubernetes").withNamespace("default")
                    .withLabels(Map.of("endpointslice.kubernetes.io/skip-mirror", "true")).endMetadata()
                    .addNewSubset()
                    .addNewAddress().withIp(api.ip()).endAddress()
                    .addNewPort().withName("https").withPort(api.port()).withProtocol("TCP").endPort()
                    .endSubset()
                    .build());
            objects.add(new EndpointSliceBuilder()
                    .withNewMetadata().withName("kubernetes").withNamespace("default")
                    .withLabels(Map.of("kubernetes.io/service-name", "kubernetes", "endpointslice.kubernetes.io/managed-by", MANAGED_BY))
                    .endMetadata()
                    .withAddressType(api.ip().contains(":") ? "IPv6" : "IPv4")
                    .addNewEndpoint().withAddresses(api.ip()).withNewConditions().withReady(true).endConditions().endEndpoint()
                    .addNewPort().withName("https").withPort(api.port()).withProtocol("TCP").endPort()
                    .build());
        });
        return objects;
    }

    private static HasMetadata nodesBinding(String name, String role) {
        return new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName(NODES).endSubject()
                .build();
    }
}
