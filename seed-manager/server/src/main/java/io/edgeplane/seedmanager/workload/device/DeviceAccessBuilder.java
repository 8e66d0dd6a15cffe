package io.edgeplane.seedmanager.workload.device;

import io.fabric8.kubernetes.api.model.rbac.Role;
import io.fabric8.kubernetes.api.model.rbac.RoleBinding;
import io.fabric8.kubernetes.api.model.rbac.RoleBindingBuilder;
import io.fabric8.kubernetes.api.model.rbac.RoleBuilder;

import java.util.Map;
import java.util.TreeMap;

/**
 * What one device may do with its {@code DeviceWorkloads}: read and watch its own object, write its
 * own status, read its own tunnel token Secret, nothing else. The device authenticates as its node ({@code system:node:<name>}, the
 * kubelet's client certificate), so removing the device (its binding goes, and the removed-nodes
 * admission policy refuses its writes) takes the right away.
 */
public final class DeviceAccessBuilder {
    public static final String NODE_USER_PREFIX = "system:node:";

    private DeviceAccessBuilder() {
    }

    public static String name(String node) {
        return "edgeplane-device-" + node;
    }

    /** The Secret holding the device's tunnel token (see the device agent's PROTOCOL.md). */
    public static String tunnelSecret(String node) {
        return "edgeplane-tunnel-" + node;
    }

    public static Role role(String node) {
        return new RoleBuilder()
                .withNewMetadata().withName(name(node)).withNamespace(DeviceWorkloadsResource.NAMESPACE).withLabels(labels(node)).endMetadata()
                .addNewRule().withApiGroups(DeviceWorkloadsResource.GROUP).withResources(DeviceWorkloadsResource.PLURAL)
                .withResourceNames(node).withVerbs("get", "list", "watch").endRule()
                .addNewRule().withApiGroups(DeviceWorkloadsResource.GROUP).withResources(DeviceWorkloadsResource.PLURAL + "/status")
                .withResourceNames(node).withVerbs("get", "update", "patch").endRule()
                .addNewRule().withApiGroups("").withResources("secrets").withResourceNames(tunnelSecret(node)).withVerbs("get").endRule()
                .build();
    }

    public static RoleBinding binding(String node) {
        return new RoleBindingBuilder()
                .withNewMetadata().withName(name(node)).withNamespace(DeviceWorkloadsResource.NAMESPACE).withLabels(labels(node)).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("Role").withName(name(node)).endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(NODE_USER_PREFIX + node).endSubject()
                .build();
    }

    private static Map<String, String> labels(String node) {
        return new TreeMap<>(Map.of("app.kubernetes.io/managed-by", "edgeplane", "edgeplane.io/node", node));
    }
}
