package io.edgeplane.seedmanager.project;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

class ProjectApiIT {
    @TempDir
    static Path dir;
    static SeedManagerInstance seed;

    @BeforeAll
    static void start() {
        seed = SeedManagerInstance.start(dir.resolve("data"), Map.of("edgeplane.projects.default-cluster-quota", 3));
    }

    @AfterAll
    static void stop() {
        seed.close();
    }

    @Test
    void createGetListDelete() {
        Reply created = seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"crud\",\"displayName\":\"CRUD test\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().get("name").asText()).isEqualTo("crud");
        assertThat(created.json().get("createdAt").asText()).isNotEmpty();

        assertThat(seed.get(ADMIN_TOKEN, "/api/v1/projects/crud").json().get("displayName").asText()).isEqualTo("CRUD test");
        assertThat(names(seed.get(ADMIN_TOKEN, "/api/v1/projects?limit=500").json())).contains("crud");

        assertThat(seed.delete(ADMIN_TOKEN, "/api/v1/projects/crud").status()).isEqualTo(204);
        assertThat(seed.get(ADMIN_TOKEN, "/api/v1/projects/crud").status()).isEqualTo(404);
        assertThat(seed.delete(ADMIN_TOKEN, "/api/v1/projects/crud").status()).isEqualTo(404);
    }

    @Test
    void duplicateNameIsAConflict() {
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"twice\"}").status()).isEqualTo(201);
        Reply again = seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"twice\"}");
        assertThat(again.status()).isEqualTo(409);
        assertThat(again.contentType()).startsWith("application/problem+json");
    }

    @Test
    void badInputNamesEveryFieldAndCreatesNothing() {
        Reply bad = seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"Not_A_Label\",\"displayName\":7,\"colour\":\"red\"}");
        assertThat(bad.status()).isEqualTo(422);
        assertThat(bad.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        bad.json().get("errors").forEach(e -> fields.add(e.get("field").asText() + ": " + e.get("message").asText()));
        assertThat(fields).containsExactlyInAnyOrder(
                "colour: unknown field",
                "name: must be a DNS-1123 label: lowercase letters, digits and '-', starting and ending with a letter or digit, at most 63 characters",
                "displayName: must be a string");
        assertThat(names(seed.get(ADMIN_TOKEN, "/api/v1/projects?limit=500").json())).doesNotContain("Not_A_Label");

        Reply missing = seed.post(ADMIN_TOKEN, "/api/v1/projects", "{}");
        assertThat(missing.status()).isEqualTo(422);
        assertThat(missing.json().get("errors").get(0).get("field").asText()).isEqualTo("name");

        Reply notJson = seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":");
        assertThat(notJson.status()).isEqualTo(400);
        assertThat(notJson.contentType()).startsWith("application/problem+json");
    }

    @Test
    void aProjectHasAClusterQuotaThatOnlyTheAdminChanges() {
        Reply defaulted = seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"quota-default\"}");
        assertThat(defaulted.json().get("quota").get("clusters").asInt()).as("edgeplane.projects.default-cluster-quota").isEqualTo(3);
        Reply own = seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"quota-own\",\"quota\":{\"clusters\":1}}");
        assertThat(own.status()).as(own.toString()).isEqualTo(201);
        assertThat(own.json().get("quota").get("clusters").asInt()).isEqualTo(1);
        Reply unlimited = seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"quota-none\",\"quota\":{\"clusters\":null}}");
        assertThat(unlimited.json().get("quota").get("clusters").isNull()).as(unlimited.toString()).isTrue();

        Reply raised = seed.send(ADMIN_TOKEN, "PATCH", "/api/v1/projects/quota-own", "{\"quota\":{\"clusters\":5}}");
        assertThat(raised.status()).as(raised.toString()).isEqualTo(200);
        assertThat(raised.json().get("quota").get("clusters").asInt()).isEqualTo(5);
        Reply renamed = seed.send(ADMIN_TOKEN, "PATCH", "/api/v1/projects/quota-own", "{\"displayName\":\"Own quota\"}");
        assertThat(renamed.json().get("displayName").asText()).isEqualTo("Own quota");
        assertThat(renamed.json().get("quota").get("clusters").asInt()).as("absent fields stay").isEqualTo(5);
        assertThat(seed.get(ADMIN_TOKEN, "/api/v1/projects/quota-own").json().get("quota").get("clusters").asInt()).isEqualTo(5);

        String owner = seed.post(ADMIN_TOKEN, "/api/v1/projects/quota-own/tokens", "{\"role\":\"owner\"}").json().get("token").asText();
        assertThat(seed.send(owner, "PATCH", "/api/v1/projects/quota-own", "{\"quota\":{\"clusters\":50}}").status()).isEqualTo(403);
        assertThat(seed.send(owner, "PATCH", "/api/v1/projects/quota-own", "{\"displayName\":\"Mine\"}").status()).isEqualTo(200);
        assertThat(seed.send(owner, "PATCH", "/api/v1/projects/quota-default", "{\"displayName\":\"Theirs\"}").status()).isEqualTo(404);
        assertThat(seed.send(ADMIN_TOKEN, "PATCH", "/api/v1/projects/no-such", "{\"displayName\":\"x\"}").status()).isEqualTo(404);
    }

    @Test
    void nestedFieldsAreNamedByTheirPath() {
        assertThat(fields(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"nested\",\"quota\":{\"clusters\":-1}}")))
                .containsExactly("quota.clusters: must be greater than or equal to 0");
        assertThat(fields(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"nested\",\"quota\":{\"clusters\":\"many\"}}")))
                .containsExactly("quota.clusters: must be a whole number");
        assertThat(fields(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"nested\",\"quota\":{\"cluster\":1}}")))
                .containsExactly("quota.cluster: unknown field");
        assertThat(fields(seed.send(ADMIN_TOKEN, "PATCH", "/api/v1/projects/nested", "{\"quota\":{\"clusters\":1.5}}")))
                .containsExactly("quota.clusters: must be a whole number");
        assertThat(fields(seed.get(ADMIN_TOKEN, "/api/v1/projects?limit=abc"))).containsExactly("limit: has the wrong type");
        assertThat(fields(seed.get(ADMIN_TOKEN, "/api/v1/projects?limit="))).as("empty is not absent").containsExactly("limit: has the wrong type");
        assertThat(fields(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":false}"))).containsExactly("name: must be a string");
        assertThat(fields(seed.send(ADMIN_TOKEN, "PATCH", "/api/v1/projects/nested", "{\"displayName\":12}")))
                .containsExactly("displayName: must be a string");
        assertThat(fields(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"nested\",\"quota\":{\"clusters\":\"2\"}}")))
                .containsExactly("quota.clusters: must be a whole number");
        assertThat(seed.get(ADMIN_TOKEN, "/api/v1/projects/nested").status()).isEqualTo(404);

        Reply noBody = seed.post(ADMIN_TOKEN, "/api/v1/projects", "");
        assertThat(noBody.status()).as(noBody.toString()).isEqualTo(400);
        assertThat(noBody.contentType()).startsWith("application/problem+json");
    }

    private static List<String> fields(Reply reply) {
        assertThat(reply.status()).as(reply.toString()).isEqualTo(422);
        assertThat(reply.contentType()).startsWith("application/problem+json");
        List<String> fields = new ArrayList<>();
        reply.json().get("errors").forEach(e -> fields.add(e.get("field").asText() + ": " + e.get("message").asText()));
        return fields;
    }

    @Test
    void listsArePagedByCursorInNameOrder() {
        for (String n : List.of("page-c", "page-a", "page-e", "page-b", "page-d")) {
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"" + n + "\"}").status()).isEqualTo(201);
        }
        List<String> seen = new ArrayList<>();
        String cursor = "";
        int pages = 0;
        do {
            JsonNode page = seed.get(ADMIN_TOKEN, "/api/v1/projects?limit=2&cursor=" + cursor).json();
            assertThat(page.get("items").size()).isLessThanOrEqualTo(2);
            seen.addAll(names(page));
            cursor = page.hasNonNull("nextCursor") ? page.get("nextCursor").asText() : null;
            pages++;
        } while (cursor != null && pages < 50);
        List<String> paged = seen.stream().filter(n -> n.startsWith("page-")).toList();
        assertThat(paged).containsExactly("page-a", "page-b", "page-c", "page-d", "page-e");
        assertThat(seen).isSorted();

        assertThat(seed.get(ADMIN_TOKEN, "/api/v1/projects?limit=0").status()).isEqualTo(422);
        assertThat(seed.get(ADMIN_TOKEN, "/api/v1/projects?cursor=!!!").status()).isEqualTo(422);
    }

    @Test
    void noOrWrongTokenIsUnauthorized() {
        assertThat(seed.get(null, "/api/v1/projects").status()).isEqualTo(401);
        assertThat(seed.get("not-a-token", "/api/v1/projects").status()).isEqualTo(401);
        assertThat(seed.get("ep_abc_def", "/api/v1/projects").status()).isEqualTo(401);
        Reply anonymousCreate = seed.post(null, "/api/v1/projects", "{\"name\":\"sneaky\"}");
        assertThat(anonymousCreate.status()).isEqualTo(401);
        assertThat(anonymousCreate.contentType()).startsWith("application/problem+json");
        assertThat(seed.get(ADMIN_TOKEN, "/api/v1/projects/sneaky").status()).isEqualTo(404);
    }

    static List<String> names(JsonNode page) {
        List<String> names = new ArrayList<>();
        page.get("items").forEach(p -> names.add(p.get("name").asText()));
        return names;
    }
}
