package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.ClusterConnections.Connection;
import io.fabric8.kubernetes.api.model.ConfigMap;
import io.fabric8.kubernetes.api.model.ConfigMapBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicy;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBinding;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBindingBuilder;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingAdmissionPolicyBuilder;

/**
 * Takes away a removed device's authority to act as its node: its kubelet client certificate stays
 * valid until it expires, so an admission policy in the tenant cluster refuses every change made
 * as {@code system:node:<name>} for the names listed in a ConfigMap (the kubelet could otherwise
 * register its Node again). Registering a device of that name again lifts it.
 */
final class RemovedNodes {
    static final String NAME = "edgeplane-removed-nodes";
    private static final String NODE_PREFIX = "system:node:";

    private RemovedNodes() {
    }

    static void remove(Connection tenant, String nodeName) {
        applyPolicy(tenant);
        ConfigMap current = tenant.client().configMaps().inNamespace("kube-system").withName(NAME).get();
        // Applied whole: what this manager applied before and leaves out would be removed.
        java.util.Map<String, String> names = new java.util.TreeMap<>(current == null || current.getData() == null ? java.util.Map.of()
                : current.getData());
        names.put(nodeName, "removed");
        tenant.client().configMaps().inNamespace("kube-system").resource(new ConfigMapBuilder()
                        .withNewMetadata().withName(NAME).withNamespace("kube-system").endMetadata().withData(names).build())
                .fieldManager("edgeplane").forceConflicts().serverSideApply();
    }

    static void readmit(Connection tenant, String nodeName) {
        ConfigMap current = tenant.client().configMaps().inNamespace("kube-system").withName(NAME).get();
        if (current != null && current.getData() != null && current.getData().containsKey(nodeName)) {
            tenant.client().configMaps().inNamespace("kube-system").withName(NAME).edit(c -> {
                c.getData().remove(nodeName);
                return c;
            });
        }
    }

    private static void applyPolicy(Connection tenant) {
        ValidatingAdmissionPolicy policy = new ValidatingAdmissionPolicyBuilder()
                .withNewMetadata().withName(NAME).endMetadata()
                .withNewSpec()
                .withFailurePolicy("Fail")
                .withNewParamKind().withApiVersion("v1").withKind("ConfigMap").endParamKind()
                .withNewMatchConstraints()
                .addNewResourceRule().withApiGroups("*").withApiVersions("*").withResources("*/*")
                .withOperations("CREATE", "UPDATE", "DELETE").endResourceRule()
                .endMatchConstraints()
                .addNewValidation()
                .withExpression("!(request.userInfo.username.startsWith('" + NODE_PREFIX + "') && params.data != null"
                        + " && request.userInfo.username.substring(" + NODE_PREFIX.length() + ") in params.data)")
                .withMessage("this node was removed by Edgeplane; register the device again to let it join")
                .endValidation()
                .endSpec().build();
        ValidatingAdmissionPolicyBinding binding = new ValidatingAdmissionPolicyBindingBuilder()
                .withNewMetadata().withName(NAME).endMetadata()
                .withNewSpec().withPolicyName(NAME).withValidationActions("Deny")
                .withNewParamRef().withName(NAME).withNamespace("kube-system").withParameterNotFoundAction("Allow").endParamRef()
                .endSpec().build();
        tenant.client().resource(policy).fieldManager("edgeplane").forceConflicts().serverSideApply();
        tenant.client().resource(binding).fieldManager("edgeplane").forceConflicts().serverSideApply();
    }
}
