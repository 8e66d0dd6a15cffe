package io.edgeplane.seedmanager.workload.device;

import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinition;
import io.fabric8.kubernetes.api.model.apiextensions.v1.CustomResourceDefinitionBuilder;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaProps;
import io.fabric8.kubernetes.api.model.apiextensions.v1.JSONSchemaPropsBuilder;

import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The definition of {@link DeviceWorkloadsResource}. The spec's workload list is a map keyed by
 * name, so that each workload's reconciler server-side-applies its own entry without touching the
 * others'; the status is the agent's, kept open so that a newer agent may report more.
 */
public final class DeviceWorkloadsDefinitionBuilder {
    /**
     * Counted up with each change of the schema: a cluster whose definition carries another revision gets this one
     * (the apiserver prunes what its schema lacks, so a spec field added here would otherwise never reach a device).
     */
    public static final String REVISION = "2";
    public static final String REVISION_ANNOTATION = "edgeplane.io/schema-revision";

    private DeviceWorkloadsDefinitionBuilder() {
    }

    public static CustomResourceDefinition build() {
        return new CustomResourceDefinitionBuilder()
                .withNewMetadata().withName(DeviceWorkloadsResource.DEFINITION)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "edgeplane"))
                .withAnnotations(Map.of(REVISION_ANNOTATION, REVISION)).endMetadata()
                .withNewSpec()
                .withGroup(DeviceWorkloadsResource.GROUP)
                .withScope("Namespaced")
                .withNewNames().withKind(DeviceWorkloadsResource.KIND).withPlural(DeviceWorkloadsResource.PLURAL)
                .withSingular("deviceworkloads").withShortNames("dw").endNames()
                .addNewVersion()
                .withName(DeviceWorkloadsResource.VERSION).withServed(true).withStorage(true)
                .withNewSubresources().withNewStatus().endStatus().endSubresources()
                .withNewSchema().withOpenAPIV3Schema(root()).endSchema()
                .addNewAdditionalPrinterColumn().withName("Heartbeat").withType("date").withJsonPath(".status.heartbeatTime")
                .endAdditionalPrinterColumn()
                .endVersion()
                .endSpec().build();
    }

    private static JSONSchemaProps root() {
        return object(Map.of(
                "spec", object(Map.of(
                        "actionsAcknowledged", integer(),
                        "workloads", new JSONSchemaPropsBuilder().withType("array")
                                .withXKubernetesListType("map").withXKubernetesListMapKeys("name")
                                .withNewItems().withSchema(entry()).endItems()
                                .build(),
                        "onboarding", object(Map.of(
                                "request", integer(),
                                "image", string(),
                                "minFreeDiskMiB", integer(),
                                "minFreeMemoryMiB", integer(),
                                "maxClockSkewSeconds", integer())))),
                "status", new JSONSchemaPropsBuilder().withType("object").withXKubernetesPreserveUnknownFields(true).build()));
    }

    private static JSONSchemaProps entry() {
        JSONSchemaProps props = object(Map.of(
                "name", string(),
                "generation", integer(),
                "run", bool(),
                "hostPorts", bool(),
                "live", version(),
                "staged", version()));
        props.setRequired(List.of("name"));
        return props;
    }

    private static JSONSchemaProps version() {
        return object(Map.of(
                "specHash", string(),
                "version", string(),
                "pod", string(),
                "config", string(),
                "images", new JSONSchemaPropsBuilder().withType("array")
                        .withNewItems().withSchema(string()).endItems().build()));
    }

    private static JSONSchemaProps object(Map<String, JSONSchemaProps> properties) {
        return new JSONSchemaPropsBuilder().withType("object").withProperties(new TreeMap<>(properties)).build();
    }

    private static JSONSchemaProps string() {
        return new JSONSchemaPropsBuilder().withType("string").build();
    }

    private static JSONSchemaProps integer() {
        return new JSONSchemaPropsBuilder().withType("integer").withFormat("int64").build();
    }

    private static JSONSchemaProps bool() {
        return new JSONSchemaPropsBuilder().withType("boolean").build();
    }
}
