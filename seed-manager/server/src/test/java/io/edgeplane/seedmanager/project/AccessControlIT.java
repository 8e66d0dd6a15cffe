package io.edgeplane.seedmanager.project;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/** Tenants never see each other (404), viewers never change anything (403), revoked tokens stop working. */
class AccessControlIT {
    @TempDir
    static Path dir;
    static SeedManagerInstance seed;
    static String ownerA;
    static String viewerA;
    static String ownerB;

    @BeforeAll
    static void start() {
        seed = SeedManagerInstance.start(dir.resolve("data"));
        for (String p : List.of("tenant-a", "tenant-b")) {
            assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"" + p + "\"}").status()).isEqualTo(201);
        }
        ownerA = issue(ADMIN_TOKEN, "tenant-a", "owner");
        viewerA = issue(ADMIN_TOKEN, "tenant-a", "viewer");
        ownerB = issue(ADMIN_TOKEN, "tenant-b", "owner");
    }

    @AfterAll
    static void stop() {
        seed.close();
    }

    @Test
    void aProjectTokenSeesOnlyItsOwnProject() {
        assertThat(seed.get(ownerA, "/api/v1/projects/tenant-a").status()).isEqualTo(200);
        assertThat(ProjectApiIT.names(seed.get(ownerA, "/api/v1/projects").json())).containsExactly("tenant-a");
        assertThat(ProjectApiIT.names(seed.get(viewerA, "/api/v1/projects").json())).containsExactly("tenant-a");
    }

    @Test
    void anotherProjectsObjectsAnswerNotFound() {
        Reply project = seed.get(ownerA, "/api/v1/projects/tenant-b");
        assertThat(project.status()).isEqualTo(404);
        assertThat(project.body()).isEqualTo(seed.get(ownerA, "/api/v1/projects/no-such-project").body()
                .replace("no-such-project", "tenant-b"));
        assertThat(seed.get(ownerA, "/api/v1/projects/tenant-b/tokens").status()).isEqualTo(404);
        assertThat(seed.post(ownerA, "/api/v1/projects/tenant-b/tokens", "{\"role\":\"owner\"}").status()).isEqualTo(404);
        assertThat(seed.delete(ownerA, "/api/v1/projects/tenant-b").status()).isEqualTo(404);
        String tokenOfB = seed.get(ownerB, "/api/v1/projects/tenant-b/tokens").json().get("items").get(0).get("id").asText();
        assertThat(seed.delete(ownerA, "/api/v1/projects/tenant-b/tokens/" + tokenOfB).status()).isEqualTo(404);
        assertThat(seed.delete(ownerA, "/api/v1/projects/tenant-a/tokens/" + tokenOfB).status()).isEqualTo(404);
        assertThat(seed.get(ownerB, "/api/v1/projects/tenant-b").status()).isEqualTo(200);
    }

    @Test
    void aViewerCannotMutate() {
        assertThat(seed.get(viewerA, "/api/v1/projects/tenant-a/tokens").status()).isEqualTo(200);
        Reply issue = seed.post(viewerA, "/api/v1/projects/tenant-a/tokens", "{\"role\":\"viewer\"}");
        assertThat(issue.status()).isEqualTo(403);
        assertThat(issue.contentType()).startsWith("application/problem+json");
        String someToken = seed.get(viewerA, "/api/v1/projects/tenant-a/tokens").json().get("items").get(0).get("id").asText();
        assertThat(seed.delete(viewerA, "/api/v1/projects/tenant-a/tokens/" + someToken).status()).isEqualTo(403);
        assertThat(seed.delete(viewerA, "/api/v1/projects/tenant-a").status()).isEqualTo(403);
    }

    @Test
    void adminOnlyOperationsAreForbiddenToProjectOwners() {
        assertThat(seed.post(ownerA, "/api/v1/projects", "{\"name\":\"own-project\"}").status()).isEqualTo(403);
        assertThat(seed.delete(ownerA, "/api/v1/projects/tenant-a").status()).isEqualTo(403);
        assertThat(seed.get(ownerA, "/api/v1/audit").status()).isEqualTo(403);
    }

    @Test
    void anOwnerManagesTokensOfItsProjectAndRevocationIsImmediate() {
        String fresh = issue(ownerA, "tenant-a", "viewer");
        assertThat(seed.get(fresh, "/api/v1/projects/tenant-a").status()).isEqualTo(200);
        String id = fresh.split("_")[1];
        assertThat(seed.delete(ownerA, "/api/v1/projects/tenant-a/tokens/" + id).status()).isEqualTo(204);
        assertThat(seed.get(fresh, "/api/v1/projects/tenant-a").status()).isEqualTo(401);
        List<String> revoked = new ArrayList<>();
        seed.get(ownerA, "/api/v1/projects/tenant-a/tokens?limit=500").json().get("items").forEach(t -> {
            assertThat(t.has("token")).as("secret never listed").isFalse();
            if (t.hasNonNull("revokedAt")) {
                revoked.add(t.get("id").asText());
            }
        });
        assertThat(revoked).contains(id);
    }

    @Test
    void tokenInputIsValidated() {
        Reply bad = seed.post(ownerA, "/api/v1/projects/tenant-a/tokens", "{\"role\":\"root\",\"expiresAt\":\"tomorrow\",\"scope\":1}");
        assertThat(bad.status()).isEqualTo(422);
        List<String> fields = new ArrayList<>();
        bad.json().get("errors").forEach(e -> fields.add(e.get("field").asText()));
        assertThat(fields).containsExactlyInAnyOrder("role", "expiresAt", "scope");
        Reply past = seed.post(ownerA, "/api/v1/projects/tenant-a/tokens", "{\"role\":\"viewer\",\"expiresAt\":\"2001-01-01T00:00:00Z\"}");
        assertThat(past.status()).isEqualTo(422);
        assertThat(past.json().get("errors").get(0).get("field").asText()).isEqualTo("expiresAt");
    }

    @Test
    void anExpiredTokenIsRejected() throws Exception {
        Instant soon = Instant.now().plusSeconds(2);
        Reply issued = seed.post(ownerA, "/api/v1/projects/tenant-a/tokens",
                "{\"role\":\"viewer\",\"expiresAt\":\"" + soon + "\"}");
        assertThat(issued.status()).isEqualTo(201);
        String token = issued.json().get("token").asText();
        assertThat(seed.get(token, "/api/v1/projects/tenant-a").status()).isEqualTo(200);
        Thread.sleep(Math.max(0, soon.toEpochMilli() - System.currentTimeMillis()) + 200);
        assertThat(seed.get(token, "/api/v1/projects/tenant-a").status()).isEqualTo(401);
    }

    @Test
    void secretsAreStoredOnlyAsHashes() throws Exception {
        try (Connection c = seed.jdbc(); Statement s = c.createStatement();
             ResultSet rs = s.executeQuery("SELECT * FROM project_tokens")) {
            int columns = rs.getMetaData().getColumnCount();
            while (rs.next()) {
                for (int i = 1; i <= columns; i++) {
                    byte[] raw = rs.getBytes(i);
                    String value = raw == null ? "" : new String(raw, StandardCharsets.ISO_8859_1);
                    for (String secret : List.of(ownerA, viewerA, ownerB)) {
                        assertThat(value).doesNotContain(secret.substring(secret.lastIndexOf('_') + 1));
                    }
                }
            }
        }
    }

    @Test
    void deletingAProjectRemovesItsTokens() {
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"short-lived\"}").status()).isEqualTo(201);
        String token = issue(ADMIN_TOKEN, "short-lived", "owner");
        assertThat(seed.delete(ADMIN_TOKEN, "/api/v1/projects/short-lived").status()).isEqualTo(204);
        assertThat(seed.get(token, "/api/v1/projects/short-lived").status()).isEqualTo(401);
    }

    static String issue(String as, String project, String role) {
        Reply reply = seed.post(as, "/api/v1/projects/" + project + "/tokens", "{\"role\":\"" + role + "\",\"description\":\"it\"}");
        assertThat(reply.status()).as(reply.toString()).isEqualTo(201);
        assertThat(reply.json().get("role").asText()).isEqualTo(role);
        return reply.json().get("token").asText();
    }
}
