package io.edgeplane.seedmanager.testing;

import java.nio.file.Path;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;

/**
 * A seed manager whose clusters never run (no Kubernetes binaries), so what the API records stays
 * put, with two projects for tenancy checks: acme, with a viewer token, and globex, with an owner token.
 */
public record TwoTenants(SeedManagerInstance seed, String acmeViewer, String globexOwner) {
    public static TwoTenants start(Path dir) {
        SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"),
                Map.of("edgeplane.kubernetes.binaries-dir", dir.resolve("none").toString()));
        seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}");
        seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"globex\"}");
        String viewer = seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/tokens", "{\"role\":\"viewer\"}").json().path("token").asText();
        String globex = seed.post(ADMIN_TOKEN, "/api/v1/projects/globex/tokens", "{\"role\":\"owner\"}").json().path("token").asText();
        return new TwoTenants(seed, viewer, globex);
    }
}
