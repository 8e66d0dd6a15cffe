package io.edgeplane.seedmanager.api;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Reads the OpenAPI document the build generated (the one the seed manager serves) and holds it to
 * the contract clients are built on: no internal parameters, a typed schema for every request body,
 * meaningful unique operationIds, and problem+json for the errors of every operation.
 */
class OpenApiDocumentTest {
    private static final Set<String> METHODS = Set.of("get", "put", "post", "delete", "patch", "head", "options");
    private static final Pattern OPERATION_ID = Pattern.compile("[a-z]+[A-Z][A-Za-z]*");
    /**
     * Paths whose controllers are not yet converted to typed bodies (issue 12, API-B's part). Remove
     * each entry with its conversion; the list must end empty.
     */
    private static final List<String> NOT_YET_CONVERTED = List.of();

    static String text;
    static Map<String, Object> document;

    @BeforeAll
    static void read() throws IOException {
        Path dir = Path.of("target/classes/META-INF/swagger");
        try (Stream<Path> files = Files.list(dir)) {
            Path file = files.filter(f -> f.toString().endsWith(".yml")).findFirst().orElseThrow();
            text = Files.readString(file);
        }
        try (InputStream in = Files.newInputStream(dir.resolve("edgeplane-seed-manager-v1.yml"))) {
            document = new Yaml().load(in);
        }
    }

    @Test
    void theInternalCallerNeverAppears() {
        assertThat(text).doesNotContainIgnoringCase("caller");
    }

    @Test
    void everyRequestBodyHasATypedSchemaWithProperties() {
        List<String> untyped = new ArrayList<>();
        operations().forEach((name, op) -> {
            Map<String, Object> body = map(op.get("requestBody"));
            if (body == null) {
                return;
            }
            map(body.get("content")).forEach((mediaType, content) -> {
                Map<String, Object> schema = resolve(map(map(content).get("schema")));
                if (!mediaType.equals("application/json")) {
                    return;
                }
                // A body of several shapes (one workload or a batch) is typed when each shape is.
                List<Map<String, Object>> shapes = schema != null && schema.get("oneOf") instanceof List<?> oneOf
                        ? oneOf.stream().map(s -> resolve(map(s))).toList() : Collections.singletonList(schema);
                if (shapes.stream().anyMatch(s -> s == null || !"object".equals(s.get("type")) || map(s.get("properties")) == null
                        || map(s.get("properties")).isEmpty())) {
                    untyped.add(name + " " + mediaType);
                }
            });
        });
        assertThat(untyped).isEmpty();
    }

    @Test
    void operationIdsAreUniqueAndMeaningful() {
        List<String> ids = new ArrayList<>();
        operations().forEach((name, op) -> ids.add(String.valueOf(op.get("operationId"))));
        assertThat(ids).doesNotHaveDuplicates();
        assertThat(ids).allSatisfy(id -> assertThat(id).as("operationId").matches(OPERATION_ID));
    }

    /** Operations with no input and no token: nothing they could refuse, so no 4xx to document. */
    private static final Set<String> NOTHING_TO_REFUSE = Set.of("GET /tls/ca.crt");

    @Test
    void everyOperationHasATagAndAnErrorAnsweredAsProblemJson() {
        List<String> missing = new ArrayList<>();
        operations().forEach((name, op) -> {
            if (op.get("tags") == null) {
                missing.add(name + ": no tag");
            }
            if (NOTHING_TO_REFUSE.contains(name)) {
                return;
            }
            Map<String, Object> responses = map(op.get("responses"));
            boolean problem = responses.entrySet().stream()
                    .filter(r -> r.getKey().startsWith("4"))
                    .anyMatch(r -> map(map(r.getValue()).get("content")) != null
                            && map(map(r.getValue()).get("content")).containsKey(Problem.MEDIA_TYPE));
            if (!problem) {
                missing.add(name + ": no 4xx answered with " + Problem.MEDIA_TYPE);
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void everyApiOperationDocumentsUnauthorized() {
        List<String> missing = new ArrayList<>();
        operations().forEach((name, op) -> {
            if (name.contains(" /api/") && !map(op.get("responses")).containsKey("401")) {
                missing.add(name);
            }
        });
        assertThat(missing).isEmpty();
    }

    @Test
    void everyApiOperationRequiresTheBearerSchemeAndTheArtifactMirrorIsOpen() {
        Map<String, Object> schemes = map(map(document.get("components")).get("securitySchemes"));
        assertThat(map(schemes.get("bearer"))).containsEntry("type", "http").containsEntry("scheme", "bearer");
        List<String> wrong = new ArrayList<>();
        operations().forEach((name, op) -> {
            boolean bearer = String.valueOf(op.get("security")).equals("[{bearer=[]}]");
            if (name.contains(" /api/") != bearer) {
                wrong.add(name + " security=" + op.get("security"));
            }
        });
        assertThat(wrong).isEmpty();
    }

    @Test
    void enumsAreSpelledAsTheServerSendsThem() {
        assertThat(schema("DatacenterProvider").get("enum")).isEqualTo(List.of("edge", "bringyourown"));
        assertThat(schema("ReloadOutcome").get("enum")).isEqualTo(List.of("applied", "rejected", "unchanged"));
    }

    @Test
    void configurationsHoldAnyJsonValue() {
        for (String[] at : new String[][]{{"AppView", "defaultConfiguration"}, {"AppView", "configurationSchema"},
                {"WorkloadView", "configuration"}, {"WorkloadView.Staged", "configuration"}, {"WorkloadDeployment", "configuration"},
                {"AppRequest", "defaultConfiguration"}}) {
            assertThat(map(map(schema(at[0]).get("properties")).get(at[1])).get("additionalProperties"))
                    .as("%s.%s", at[0], at[1]).isEqualTo(true);
        }
    }

    @Test
    void aWatchableListAnswersJsonFirstWithItsParametersInAStableOrder() {
        for (String id : List.of("listClusters", "listMachineDeployments", "listWorkloads", "getProvisioningLog")) {
            Map<String, Object> op = operations().values().stream().filter(o -> id.equals(o.get("operationId"))).findFirst().orElseThrow();
            Map<String, Object> content = map(map(map(op.get("responses")).get("200")).get("content"));
            assertThat(content.keySet()).as(id).containsExactly("application/json", "text/event-stream");
            List<String> parameters = ((List<?>) op.get("parameters")).stream().map(p -> (String) map(p).get("name")).toList();
            assertThat(parameters).as(id).startsWith("watch", "Last-Event-ID").endsWith(id.equals("getProvisioningLog") ? "after" : "cursor");
        }
    }

    @Test
    void theTwoAnswersOfADeployAreToldApartByTheirKind() {
        Map<String, Object> op = operations().get("POST /api/v1/projects/{project}/clusters/{cluster}/workloads");
        Map<String, Object> schema = map(map(map(map(map(op.get("responses")).get("202")).get("content")).get("application/json")).get("schema"));
        assertThat(map(schema.get("discriminator"))).containsEntry("propertyName", "kind");
        assertThat(String.valueOf(schema("WorkloadView").get("required"))).contains("kind");
        assertThat(String.valueOf(schema("WorkloadList").get("required"))).contains("kind");
    }

    private static Map<String, Object> schema(String name) {
        return map(map(map(document.get("components")).get("schemas")).get(name));
    }

    /** Every operation as {@code "METHOD path"}, except those of paths not yet converted. */
    static Map<String, Map<String, Object>> operations() {
        Map<String, Map<String, Object>> operations = new HashMap<>();
        map(document.get("paths")).forEach((path, item) -> {
            if (NOT_YET_CONVERTED.stream().anyMatch(path::startsWith)) {
                return;
            }
            map(item).forEach((method, op) -> {
                if (METHODS.contains(method)) {
                    operations.put(method.toUpperCase() + " " + path, map(op));
                }
            });
        });
        return operations;
    }

    private static Map<String, Object> resolve(Map<String, Object> schema) {
        if (schema != null && schema.get("$ref") instanceof String ref) {
            return map(map(map(document.get("components")).get("schemas")).get(ref.substring(ref.lastIndexOf('/') + 1)));
        }
        return schema;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(Object value) {
        return (Map<String, Object>) value;
    }
}
