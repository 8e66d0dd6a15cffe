package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The MachineDeployment API's rules against a real seed manager (the cluster never comes up: no
 * binaries), so only what needs no device is shown here: validation by field, one device per
 * MachineDeployment, the SSH credential sealed and never shown, tenancy, and deletion.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class MachineDeploymentApiIT {
    private static final String MACHINES = "/api/v1/projects/acme/clusters/line/machinedeployments";
    private static final String FINGERPRINT = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU";

    @TempDir
    static Path dir;
    private SeedManagerInstance seed;

    @BeforeAll
    void start() {
        seed = SeedManagerInstance.start(dir.resolve("data"), Map.of("edgeplane.kubernetes.binaries-dir", dir.resolve("none").toString()));
        seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"acme\"}");
        seed.post(ADMIN_TOKEN, "/api/v1/projects", "{\"name\":\"globex\"}");
        assertThat(seed.post(ADMIN_TOKEN, "/api/v1/projects/acme/clusters", "{\"name\":\"line\",\"datacenter\":\"factory-bremen\"}")
                .status()).isEqualTo(202);
    }

    @AfterAll
    void stop() {
        seed.close();
    }

    @Test
    void everyBadFieldIsNamedAndNothingIsCreated() throws Exception {
        long before = count("SELECT count(*) FROM machine_deployments");
        Reply mistyped = seed.post(ADMIN_TOKEN, MACHINES, """
                {"name":"edge-x","os":"ubuntu-24.04","arch":"riscv","colour":"red","taints":[{"key":"a","effect":"Sometimes"}]}""");
        assertThat(mistyped.status()).as(mistyped.toString()).isEqualTo(422);
        assertThat(mistyped.contentType()).startsWith("application/problem+json");
        assertThat(fields(mistyped)).containsExactlyInAnyOrder("arch", "colour", "taints[0].effect");

        Reply invalid = seed.post(ADMIN_TOKEN, MACHINES, """
                {"name":"Edge_1","os":"windows","arch":"amd64","replicas":3,
                 "taints":[{"effect":"NoSchedule"}],
                 "ssh":{"host":"","port":70000,"user":"root","credential":{"password":"x"}}}""");
        assertThat(invalid.status()).as(invalid.toString()).isEqualTo(422);
        assertThat(fields(invalid)).containsExactlyInAnyOrder("name", "os", "replicas", "taints[0].key", "ssh.host", "ssh.port");
        assertThat(invalid.body()).contains("exactly one edge device");

        Reply refused = seed.post(ADMIN_TOKEN, MACHINES, """
                {"name":"edge-x","os":"ubuntu-24.04","arch":"amd64",
                 "labels":{"node-role.kubernetes.io/worker":"","ok":"bad value!"},
                 "taints":[{"key":"a/b/c","effect":"NoSchedule"}],
                 "ssh":{"host":"10.0.0.7","user":"root","credential":{"password":"x","privateKey":"y"}}}""");
        assertThat(refused.status()).as(refused.toString()).isEqualTo(422);
        assertThat(fields(refused)).containsExactlyInAnyOrder("labels.node-role.kubernetes.io/worker", "labels.ok", "taints[0].key",
                "ssh.hostKeyFingerprint", "ssh.credential");
        assertThat(count("SELECT count(*) FROM machine_deployments")).isEqualTo(before);
    }

    @Test
    void aDeviceIsRegisteredWithItsSshTargetSealedAndCanBeRemoved() throws Exception {
        Reply created = seed.post(ADMIN_TOKEN, MACHINES, """
                {"name":"edge-1","os":"ubuntu-22.04","arch":"arm64","replicas":1,"labels":{"site":"bremen"},
                 "taints":[{"key":"edgeplane.io/line","value":"2","effect":"NoSchedule"}],
                 "ssh":{"host":"10.0.0.7","user":"edge","hostKeyFingerprint":"%s","credential":{"password":"s3cret-pass"}}}"""
                .formatted(FINGERPRINT));
        assertThat(created.status()).as(created.toString()).isEqualTo(201);
        assertThat(created.json().path("phase").asText()).isEqualTo("Pending");
        assertThat(created.json().path("replicas").asInt()).isEqualTo(1);
        assertThat(created.json().path("ssh").path("credential").asText()).isEqualTo("password");
        assertThat(created.body()).doesNotContain("s3cret-pass");
        try (var connection = seed.jdbc(); Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("SELECT ssh_credential FROM machine_deployments WHERE name = 'edge-1'")) {
            rows.next();
            assertThat(rows.getString(1)).as("sealed at rest").doesNotContain("s3cret-pass");
        }
        assertThat(seed.post(ADMIN_TOKEN, MACHINES, "{\"name\":\"edge-1\",\"os\":\"ubuntu-22.04\",\"arch\":\"arm64\"}").status())
                .isEqualTo(409);
        assertThat(seed.get(ADMIN_TOKEN, MACHINES).body()).contains("\"name\":\"edge-1\"");
        assertThat(seed.get(ADMIN_TOKEN, MACHINES + "/edge-1/provisioning-script").status())
                .as("no script before the cluster runs").isEqualTo(409);

        assertThat(seed.delete(ADMIN_TOKEN, MACHINES + "/edge-1").status()).isEqualTo(202);
    }

    @Test
    void aDeviceWithoutSshCannotBeDeliveredTo() {
        assertThat(seed.post(ADMIN_TOKEN, MACHINES, "{\"name\":\"by-hand\",\"os\":\"ubuntu-24.04\",\"arch\":\"amd64\"}").status())
                .isEqualTo(201);
        Reply provision = seed.post(ADMIN_TOKEN, MACHINES + "/by-hand/provision", "");
        assertThat(provision.status()).isEqualTo(409);
        assertThat(provision.body()).contains("provisioning-script");
    }

    @Test
    void otherTenantsSeeNothing() {
        assertThat(seed.post(ADMIN_TOKEN, MACHINES, "{\"name\":\"private\",\"os\":\"ubuntu-24.04\",\"arch\":\"amd64\"}").status())
                .isEqualTo(201);
        Reply token = seed.post(ADMIN_TOKEN, "/api/v1/projects/globex/tokens", "{\"role\":\"owner\"}");
        String globex = token.json().path("token").asText();
        assertThat(seed.get(globex, MACHINES).status()).isEqualTo(404);
        assertThat(seed.get(globex, MACHINES + "/private").status()).isEqualTo(404);
        assertThat(seed.get(globex, MACHINES + "/private/provisioning-script").status()).isEqualTo(404);
        assertThat(seed.delete(globex, MACHINES + "/private").status()).isEqualTo(404);
        assertThat(seed.post(globex, MACHINES, "{\"name\":\"intruder\",\"os\":\"ubuntu-24.04\",\"arch\":\"amd64\"}").status())
                .isEqualTo(404);
    }

    private static List<String> fields(Reply reply) {
        List<String> fields = new ArrayList<>();
        reply.json().path("errors").forEach(e -> fields.add(e.get("field").asText()));
        return fields;
    }

    private long count(String sql) throws Exception {
        try (var connection = seed.jdbc(); Statement statement = connection.createStatement(); ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }
}
