package io.edgeplane.seedmanager.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.seedmanager.contract.client.ApiClient;
import io.edgeplane.seedmanager.contract.client.ApiException;
import io.edgeplane.seedmanager.contract.client.api.AppsApi;
import io.edgeplane.seedmanager.contract.client.api.ClustersApi;
import io.edgeplane.seedmanager.contract.client.api.KubeconfigsApi;
import io.edgeplane.seedmanager.contract.client.api.MachinedeploymentsApi;
import io.edgeplane.seedmanager.contract.client.api.ProjectsApi;
import io.edgeplane.seedmanager.contract.client.api.TokensApi;
import io.edgeplane.seedmanager.contract.client.api.WorkloadsApi;
import io.edgeplane.seedmanager.contract.client.model.AppContainerRequest;
import io.edgeplane.seedmanager.contract.client.model.AppPortRequest;
import io.edgeplane.seedmanager.contract.client.model.AppRequest;
import io.edgeplane.seedmanager.contract.client.model.AppRequestProtocol;
import io.edgeplane.seedmanager.contract.client.model.AppView;
import io.edgeplane.seedmanager.contract.client.model.ClusterPhase;
import io.edgeplane.seedmanager.contract.client.model.ClusterView;
import io.edgeplane.seedmanager.contract.client.model.CreateClusterRequest;
import io.edgeplane.seedmanager.contract.client.model.CreateProjectRequest;
import io.edgeplane.seedmanager.contract.client.model.CreateProjectTokenRequest;
import io.edgeplane.seedmanager.contract.client.model.DeployWorkloads202Response;
import io.edgeplane.seedmanager.contract.client.model.DeployWorkloadsRequest;
import io.edgeplane.seedmanager.contract.client.model.MachineArchitecture;
import io.edgeplane.seedmanager.contract.client.model.MachineDeploymentRequest;
import io.edgeplane.seedmanager.contract.client.model.MachineDeploymentView;
import io.edgeplane.seedmanager.contract.client.model.MachinePhase;
import io.edgeplane.seedmanager.contract.client.model.ProjectQuota;
import io.edgeplane.seedmanager.contract.client.model.ProvisioningScriptLinkView;
import io.edgeplane.seedmanager.contract.client.model.TokenRole;
import io.edgeplane.seedmanager.contract.client.model.TokenView;
import io.edgeplane.seedmanager.contract.client.model.UpdateProjectRequest;
import io.edgeplane.seedmanager.contract.client.model.WorkloadDeployment;
import io.edgeplane.seedmanager.contract.client.model.WorkloadState;
import io.edgeplane.seedmanager.contract.client.model.WorkloadView;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.testbed.KubernetesBinaries;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
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
            int port = seed.port();
            ApiClient admin = client(port, ADMIN_TOKEN);

            ProjectsApi projects = new ProjectsApi(admin);
            assertThat(projects.createProject(new CreateProjectRequest().name("flow").displayName("Flow")).getName()).isEqualTo("flow");
            assertThat(projects.updateProject("flow", new UpdateProjectRequest().quota(new ProjectQuota().clusters(1))).getQuota().getClusters())
                    .isEqualTo(1);
            TokenView issued = new TokensApi(admin).createProjectToken("flow", new CreateProjectTokenRequest().role(TokenRole.owner)
                    .description("the flow's operator"));
            assertThat(issued.getToken()).isNotBlank();
            assertThat(issued.getRole()).isEqualTo(TokenRole.owner);

            // Everything else as the project's owner.
            ApiClient owner = client(port, issued.getToken());
            ClustersApi clusters = new ClustersApi(owner);
            ClusterView created = clusters.createCluster("flow", new CreateClusterRequest().name("line").datacenter("store-hamburg-01"));
            assertThat(created.getPhase()).isEqualTo(ClusterPhase.Creating);
            ClusterView running = awaitRunning(clusters, "flow", "line");
            assertThat(running.getEndpoint()).startsWith("https://127.0.0.1:");
            assertThat(new KubeconfigsApi(owner).getKubeconfig("flow", "line", null)).contains("kind: Config", running.getEndpoint());

            MachinedeploymentsApi devices = new MachinedeploymentsApi(owner);
            MachineDeploymentView device = devices.createMachineDeployment("flow", "line", new MachineDeploymentRequest().name("edge-1")
                    .os(MachineDeploymentRequest.OsEnum.UBUNTU_24_04).arch(MachineArchitecture.amd64).putLabelsItem("site", "hamburg"));
            assertThat(device.getPhase()).isEqualTo(MachinePhase.Pending);
            String script = devices.getProvisioningScript("flow", "line", "edge-1");
            assertThat(script).startsWith("#!/usr/bin/env bash").contains("edge-1");
            ProvisioningScriptLinkView link = devices.createProvisioningScriptLink("flow", "line", "edge-1", "10m");
            assertThat(link.getCommand()).contains(link.getUrl());
            assertThat(link.getExpiresAt()).isAfter(OffsetDateTime.now().plusMinutes(9));
            String secret = link.getUrl().substring(link.getUrl().lastIndexOf('/') + 1);
            assertThat(new MachinedeploymentsApi(client(port, "none")).getProvisioningScriptByLink(secret)).isEqualTo(script);

            AppView app = new AppsApi(owner).registerApp("flow", new AppRequest().name("hello").version("1").title("Hello")
                    .addContainersItem(new AppContainerRequest().name("web").image("127.0.0.1:5000/edgeplane/hello-http:1")
                            .putEnvItem("PORT", "8080")
                            .addPortsItem(new AppPortRequest().name("http").containerPort(8080).hostPort(18080).protocol(AppRequestProtocol.TCP)))
                    .putDefaultConfigurationItem("greeting", "hello")
                    .configurationSchema(Map.of("type", "object", "properties", Map.of("greeting", Map.of("type", "string")))));
            assertThat(app.getVersion()).isEqualTo("1");

            WorkloadsApi workloads = new WorkloadsApi(owner);
            DeployWorkloads202Response deployed = workloads.deployWorkloads("flow", "line", new DeployWorkloadsRequest(
                    new WorkloadDeployment().name("web").app("hello").version("1").addNodesItem("edge-1").putConfigurationItem("greeting", "hi")));
            assertThat(deployed.getWorkloadView().getState()).isEqualTo(WorkloadState.pending_deploy);
            WorkloadView web = workloads.getWorkload("flow", "line", "web");
            assertThat(web.getNodes()).containsExactly("edge-1");
            assertThat(web.getConfiguration()).containsEntry("greeting", "hi");

            clusters.deleteCluster("flow", "line");
            awaitGone(clusters, "flow", "line");
        }
    }

    static ApiClient client(int port, String token) {
        ApiClient client = new ApiClient();
        client.setScheme("http");
        client.setHost("127.0.0.1");
        client.setPort(port);
        client.setBasePath("");
        client.setRequestInterceptor(request -> request.header("Authorization", "Bearer " + token));
        client.setObjectMapper(new ContractMapper(client.getObjectMapper()));
        return client;
    }

    /**
     * The generated client's JSON, stricter in one way and more lenient in another: a response field
     * the document does not name is an error (so the flow also proves that the document states every
     * field, and a oneOf answer resolves to exactly one of its shapes), and a text download the
     * document declares as a plain string (a provisioning script, a kubeconfig), which the
     * generator's native library would read as JSON too, comes back as it is.
     */
    static final class ContractMapper extends ObjectMapper {
        private static final long serialVersionUID = 1L;

        ContractMapper(ObjectMapper base) {
            super(base);
            configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, true);
        }

        @Override
        public ObjectMapper copy() {
            return new ContractMapper(this);
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

    private static ClusterView awaitRunning(ClustersApi api, String project, String cluster) throws ApiException, InterruptedException {
        Instant deadline = Instant.now().plus(RUNNING_WITHIN);
        ClusterView view = api.getCluster(project, cluster);
        while (view.getPhase() != ClusterPhase.Running) {
            assertThat(view.getPhase()).as("%s", view).isNotEqualTo(ClusterPhase.Failed);
            assertThat(Instant.now()).as("Running within %s: %s", RUNNING_WITHIN, view).isBefore(deadline);
            Thread.sleep(500);
            view = api.getCluster(project, cluster);
        }
        return view;
    }

    private static void awaitGone(ClustersApi api, String project, String cluster) throws InterruptedException {
        Instant deadline = Instant.now().plusSeconds(60);
        while (Instant.now().isBefore(deadline)) {
            try {
                api.getCluster(project, cluster);
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
