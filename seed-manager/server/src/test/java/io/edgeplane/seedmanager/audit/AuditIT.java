package io.edgeplane.seedmanager.audit;

import com.fasterxml.jackson.databind.JsonNode;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class AuditIT {
    @TempDir
    static Path dir;
    static SeedManagerInstance seed;

    @BeforeAll
    static void start() {
        seed = SeedManagerInstance.start(dir.resolve("data"));
    }

    @AfterAll
    static void stop() {
        seed.close();
    }

    @Test
    void everyMutatingCallIsRecordedWithWhoWhatTargetResultAndTime() {
        seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"audited\"}");
        String token = seed.post(ADMIN_TOKEN, "/api/v1/projects/audited/tokens", "{\"role\":\"owner\"}").json().get("token").asText();
        seed.post(token, "/api/v1/projects", "{\"name\":\"not-allowed\"}");
        seed.post(null, "/api/v1/projects", "{\"name\":\"anonymous\"}");
        seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"BAD\"}");
        seed.get(ADMIN_TOKEN, "/api/v1/projects/audited");
        seed.delete(ADMIN_TOKEN, "/api/v1/projects/audited");

        List<String> rows = new ArrayList<>();
        for (JsonNode e : seed.get(ADMIN_TOKEN, "/api/v1/audit?limit=50").json().get("items")) {
            assertThat(e.get("at").asText()).isNotEmpty();
            rows.add(e.get("actor").asText() + " | " + e.get("action").asText() + " | " + e.get("target").asText() + " | " + e.get("result").asText());
        }
        String tokenSubject = "token:" + token.split("_")[1];
        assertThat(rows).containsSubsequence(
                "admin | DELETE /api/v1/projects/audited | /api/v1/projects/audited | 204",
                "admin | POST /api/v1/projects | /api/v1/projects | 422",
                "anonymous | POST /api/v1/projects | /api/v1/projects | 401",
                tokenSubject + " | POST /api/v1/projects | /api/v1/projects | 403",
                "admin | POST /api/v1/projects/audited/tokens | /api/v1/projects/audited/tokens/" + token.split("_")[1] + " | 201",
                "admin | POST /api/v1/projects | /api/v1/projects/audited | 201");
        assertThat(rows).noneMatch(r -> r.contains("| GET "));
    }

    @Test
    void theAuditTrailIsPagedNewestFirst() {
        for (int i = 0; i < 3; i++) {
            seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"paged-" + i + "\"}");
        }
        JsonNode first = seed.get(ADMIN_TOKEN, "/api/v1/audit?limit=2").json();
        JsonNode second = seed.get(ADMIN_TOKEN, "/api/v1/audit?limit=2&cursor=" + first.get("nextCursor").asText()).json();
        long a = first.get("items").get(0).get("id").asLong();
        long b = first.get("items").get(1).get("id").asLong();
        long c = second.get("items").get(0).get("id").asLong();
        assertThat(a).isGreaterThan(b);
        assertThat(b).isGreaterThan(c);
    }

    @Test
    void theDatabaseRefusesToChangeOrDeleteAuditRows() throws SQLException {
        seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"immutable\"}");
        try (Connection c = seed.jdbc(); Statement s = c.createStatement()) {
            assertThatThrownBy(() -> s.execute("UPDATE audit_events SET actor = 'someone-else'")).hasMessageContaining("append-only");
            assertThatThrownBy(() -> s.execute("DELETE FROM audit_events")).hasMessageContaining("append-only");
        }
    }
}
