package io.edgeplane.seedmanager.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.seedmanager.contract.client.ApiClient;
import io.edgeplane.seedmanager.contract.client.ApiException;
import io.edgeplane.seedmanager.contract.client.api.DefaultApi;
import io.edgeplane.seedmanager.contract.client.api.ProjectsApi;
import io.edgeplane.seedmanager.contract.client.api.TokensApi;
import io.edgeplane.seedmanager.contract.client.model.ClusterView;
import io.edgeplane.seedmanager.contract.client.model.CreateProjectRequest;
import io.edgeplane.seedmanager.contract.client.model.CreateProjectTokenRequest;
import io.edgeplane.seedmanager.contract.client.model.TokenRole;
import io.edgeplane.seedmanager.contract.client.model.TokenView;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.testbed.KubernetesBinaries;
import io.micronaut.runtime.server.EmbeddedServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import static io.edgeplane.seedmanager.testing.SeedManagerInstance.ADMIN_TOKEN;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * An operator's whole flow through the Java client that the build generates from the served
 * OpenAPI document (openapi-generator, into the test sources), against a real seed manager whose
 * cluster really runs (process runtime, the test bed's Kubernetes binaries): a project, an owner
 * token that does the rest, a cluster up to Running, a device and its provisioning script, an app,
 * and a workload deployed to the device.
 */
class GeneratedClientFlowIT {
    private static final Duration RUNNING_WITHIN = Duration.ofSeconds(180);

    @TempDir
    Path dir;

    @AfterEach
    void stopControlPlanes() {
        ControlPlaneProcesses.killUnder(dir.resolve("data"));
    }

    @Test
    void anOperatorFlowThroughTheGeneratedClient() throws Exception {
        Path binaries = KubernetesBinaries.ensure().dir().getParent().getParent();
        try (SeedManagerInstance seed = SeedManagerInstance.start(dir.resolve("data"),
                Map.of("edgeplane.kubernetes.binaries-dir", binaries.toString()))) {
            int port = seed.context().getBean(EmbeddedServer.class).getPort();
            ApiClient admin = client(port, ADMIN_TOKEN);

            assertThat(new ProjectsApi(admin).createProject(new CreateProjectRequest().name("flow").displayName("Flow")).getName())
                    .isEqualTo("flow");
            TokenView issued = new TokensApi(admin).createProjectToken("flow", new CreateProjectTokenRequest().role(TokenRole.owner)
                    .description("the flow's operator"));
            assertThat(issued.getToken()).isNotBlank();
            assertThat(issued.getRole()).isEqualTo(TokenRole.owner);

            // Everything else as the project's owner.
            DefaultApi owner = new DefaultApi(client(port, issued.getToken()));
            ClusterView created = owner.create("flow", Map.of("name", "line", "datacenter", "store-hamburg-01"));
            assertThat(created.getPhase()).isEqualTo("Creating");
            ClusterView running = awaitRunning(owner, "flow", "line");
            assertThat(running.getEndpoint()).startsWith("https://127.0.0.1:");

            assertThat(owner.create1("flow", "line", Map.of("name", "edge-1", "os", "ubuntu-24.04", "arch", "amd64")).getPhase())
                    .isEqualTo("Pending");
            String script = owner.script("flow", "line", "edge-1");
            assertThat(script).startsWith("#!/usr/bin/env bash").contains("edge-1");

            assertThat(owner.register("flow", app()).getVersion()).isEqualTo("1");

            Object deployed = owner.deploy("flow", "line", Map.of("name", "web", "app", "hello", "version", "1", "nodes", List.of("edge-1")));
            assertThat(deployed).isNotNull();
            assertThat(owner.get4("flow", "line", "web").getState()).isIn("pending_deploy", "deploying");

            owner.delete("flow", "line");
            awaitGone(owner, "flow", "line");
        }
    }

    private static Map<String, Object> app() {
        return Map.of("name", "hello", "version", "1", "title", "Hello",
                "containers", List.of(Map.of("name", "web", "image", "127.0.0.1:5000/edgeplane/hello-http:1",
                        "env", Map.of("PORT", "8080"),
                        "ports", List.of(Map.of("name", "http", "containerPort", 8080, "hostPort", 18080, "protocol", "TCP")))),
                "defaultConfiguration", Map.of("greeting", "hello"),
                "configurationSchema", Map.of("type", "object", "properties", Map.of("greeting", Map.of("type", "string"))));
    }

    static ApiClient client(int port, String token) {
        ApiClient client = new ApiClient();
        client.setScheme("http");
        client.setHost("127.0.0.1");
        client.setPort(port);
        client.setBasePath("");
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        client.setObjectMapper(new TextAsIs(client.getObjectMapper()));
        return client;
    }

    /**
     * The generator's native library reads every response body as JSON, also a text download the
     * document declares as a plain string (a provisioning script, a kubeconfig): such text comes
     * back as it is.
     */
    static final class TextAsIs extends ObjectMapper {
        private static final long serialVersionUID = 1L;

        TextAsIs(ObjectMapper base) {
            super(base);
        }

        @Override
        public ObjectMapper copy() {
            return new TextAsIs(this);
        }

        @Override
        @SuppressWarnings("unchecked")
        public <T> T readValue(String content, TypeReference<T> type) throws JsonProcessingException {
            if (type.getType() == String.class && !content.startsWith("\"")) {
                return (T) content;
            }
            return super.readValue(content, type);
        }
    }

    private static ClusterView awaitRunning(DefaultApi api, String project, String cluster) throws ApiException, InterruptedException {
        Instant deadline = Instant.now().plus(RUNNING_WITHIN);
        ClusterView view = api.get2(project, cluster);
        while (!"Running".equals(view.getPhase())) {
            assertThat(view.getPhase()).as("%s", view).isNotEqualTo("Failed");
            assertThat(Instant.now()).as("Running within %s: %s", RUNNING_WITHIN, view).isBefore(deadline);
            Thread.sleep(500);
            view = api.get2(project, cluster);
        }
        return view;
    }

    private static void awaitGone(DefaultApi api, String project, String cluster) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            try {
                api.get2(project, cluster);
            } catch (ApiException e) {
                if (e.getCode() == 404) {
                    return;
                }
                throw new AssertionError(e.getCode() + " " + e.getResponseBody(), e);
            }
            Thread.sleep(500);
        }
        throw new AssertionError("cluster " + project + "/" + cluster + " still there after 60 s");
    }
}
