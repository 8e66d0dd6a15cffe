package io.edgeplane.e2e;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.edgeplane.seedmanager.persistence.EmbeddedPostgres;
import io.edgeplane.seedmanager.testing.SeedManagerInstance;
import io.edgeplane.seedmanager.testing.SeedManagerInstance.Reply;
import io.edgeplane.testbed.HelmBinary;
import io.edgeplane.testbed.KubernetesBinaries;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.TestPki;
import io.edgeplane.testbed.ToolRun;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.ControlPlaneImages;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.edgeplane.testbed.SeedCluster;
import io.fabric8.kubernetes.api.model.NamespaceBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.CertificateFactory;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed manager installed by its Helm chart on the test bed's seed cluster, as README "Install on
 * Kubernetes" does it: two replicas of the built image on one real PostgreSQL, HTTPS from a
 * certificate Secret. A cluster created through the API survives the loss of the replica that holds
 * its lease and reaches Running; a device joins it with its script and artifacts fetched over HTTPS
 * with the CA pinned; a workload deployed to it survives the loss of the replica that claimed the
 * deploy and runs exactly once; a changed Seed reaches the replicas by `helm upgrade`; a rolling
 * `helm upgrade` to another image tag fails not one of the API reads made every 200 ms meanwhile;
 * `helm uninstall` leaves the tenant's namespace and the generated Secrets.
 */
class HelmInstallE2E {
    private static final String NAMESPACE = "edgeplane";
    private static final String RELEASE = "edgeplane";
    private static final int HTTPS_NODE_PORT = 30843;
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void installTwoReplicasSurviveLostClaimHoldersJoinADeviceRollAnUpgradeAndUninstall() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        HelmBinary helm = HelmBinary.ensure();
        String host = TestNetwork.current().hostAddress();
        // The database the replicas share: a real PostgreSQL (a seed manager's embedded one, in a database
        // of its own), reached by the pods at the host's test-network address.
        try (SeedManagerInstance databaseHost = SeedManagerInstance.start(dir.resolve("database-host"));
             LocalRegistry registry = LocalRegistry.start(host);
             SeedCluster seedCluster = SeedCluster.start(binaries, registry, host, 2)) {
            EmbeddedPostgres postgres = databaseHost.context().getBean(EmbeddedPostgres.class);
            String local = postgres.start();
            try (Connection db = DriverManager.getConnection(local, postgres.username(), postgres.password());
                 Statement s = db.createStatement()) {
                s.execute("CREATE DATABASE seed_cluster");
            }
            int localPort = Integer.parseInt(local.replaceAll(".*:(\\d+)/.*", "$1"));
            try (TcpRelay relay = TcpRelay.start(host, "127.0.0.1", localPort)) {
                String jdbc = "jdbc:postgresql://" + host + ":" + relay.port() + "/seed_cluster";
                run(seedCluster, registry, binaries, helm, jdbc, postgres, local.replaceAll("/[^/]*$", "/seed_cluster"));
            }
        }
    }

    private void run(SeedCluster seedCluster, LocalRegistry registry, KubernetesBinaries binaries, HelmBinary helm, String jdbc,
                     EmbeddedPostgres postgres, String localJdbc) throws Exception {
        KubernetesClient client = seedCluster.client();
        String node = seedCluster.nodeAddress();
        client.namespaces().resource(new NamespaceBuilder().withNewMetadata().withName(NAMESPACE).endMetadata().build()).create();

        // What an operator creates before installing: the database Secret, the TLS Secret, a volume of prepared binaries.
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("edgeplane-database").endMetadata()
                .withStringData(Map.of("url", jdbc, "username", postgres.username(), "password", postgres.password())).build()).create();
        TestPki.Credential ca = TestPki.authority("edgeplane-e2e-seed-ca");
        TestPki.Credential serving = TestPki.leaf(ca, "edgeplane-seed-manager", List.of(),
                List.of(node, RELEASE + "-seed-manager." + NAMESPACE + ".svc", "localhost"), true, false);
        String caPem = TestPki.pem(ca.certificate());
        client.secrets().inNamespace(NAMESPACE).resource(new SecretBuilder().withNewMetadata().withName("edgeplane-tls").endMetadata()
                .withType("kubernetes.io/tls")
                .withStringData(Map.of("tls.crt", TestPki.pem(serving.certificate()), "tls.key", pkcs8(serving.keys().getPrivate()),
                        "ca.crt", caPem)).build()).create();
        prepareBinariesVolumes(seedCluster, binaries);
        client.persistentVolumeClaims().inNamespace(NAMESPACE).resource(new PersistentVolumeClaimBuilder()
                .withNewMetadata().withName("edgeplane-binaries").endMetadata()
                .withNewSpec().withStorageClassName("").withAccessModes("ReadWriteOnce")
                .withNewResources().withRequests(Map.of("storage", new Quantity("1Gi"))).endResources().endSpec().build()).create();

        String image = SeedManagerImage.push(registry);
        Path values = dir.resolve("values.yaml");
        Files.writeString(values, values(image, node, registry, binaries, seed(node, registry, "lab")));
        Path home = dir.resolve("helm-home");
        Path kubeconfig = seedCluster.adminKubeconfig();

        long started = System.nanoTime();
        helm(helm, home, "install", RELEASE, chart(), "-n", NAMESPACE, "-f", values.toString(), "--kubeconfig", kubeconfig.toString());
        awaitReplicasReady(client, Duration.ofMinutes(6));
        System.out.printf("e2e: helm install with two replicas Ready in %d ms%n", (System.nanoTime() - started) / 1_000_000);
        assertThat(client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", "edgeplane-seed-manager").list().getItems())
                .hasSize(2).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getSecurityContext().getReadOnlyRootFilesystem()).isTrue());

        String token = secret(client, "edgeplane-admin-token", "admin-token");
        assertThat(secret(client, "edgeplane-master-key", "master-key")).isNotBlank();
        Api api = new Api("https://" + node + ":" + HTTPS_NODE_PORT, caPem, token);
        // Ready pods reach the NodePort's rules a moment later (kube-proxy's sync), as any client sees after an install.
        assertThat(api.awaitAnswer("/api/v1/projects", Duration.ofSeconds(60)).status()).isEqualTo(200);
        assertThat(api.post("/api/v1/projects", "{\"name\":\"acme\"}").status()).isEqualTo(201);

        // The replica that holds the new cluster's lease is killed while the cluster is Creating.
        String clusters = "/api/v1/projects/acme/clusters";
        started = System.nanoTime();
        Reply created = api.post(clusters, "{\"name\":\"plant\",\"datacenter\":\"lab\"}");
        assertThat(created.status()).as(created.toString()).isEqualTo(202);
        String holder = awaitLeaseHolder(localJdbc, postgres, "plant");
        Pod victim = replicaOf(client, holder);
        long killed = System.nanoTime();
        crash(seedCluster, victim);
        JsonNode running = api.awaitPhase(clusters + "/plant", "Running", Duration.ofMinutes(6));
        System.out.printf("e2e: cluster Running %d ms after create, %d ms after its lease holder %s was killed%n",
                (System.nanoTime() - started) / 1_000_000, (System.nanoTime() - killed) / 1_000_000, victim.getMetadata().getName());
        assertThat(running.path("phase").asText()).isEqualTo("Running");
        String tenantNamespace = "cluster-acme-plant";
        assertThat(client.apps().deployments().inNamespace(tenantNamespace).list().getItems()).as("nothing duplicated")
                .extracting(d -> d.getMetadata().getName())
                .containsExactlyInAnyOrder("kube-apiserver", "kube-controller-manager", "kube-scheduler");

        // The Secrets encryption key rotated on the pods runtime: the apiserver Deployment rolls out each
        // configuration (a new reading key, the new writer, the old key dropped) and every Secret is rewritten.
        Path tenantKubeconfig = dir.resolve("plant-rotation.kubeconfig");
        Files.writeString(tenantKubeconfig, api.get(clusters + "/plant/kubeconfig").body());
        try (KubernetesClient tenant = TenantClient.of(tenantKubeconfig)) {
            tenant.secrets().inNamespace("default").resource(new SecretBuilder().withNewMetadata().withName("before-rotation").endMetadata()
                    .addToStringData("recipe", "kept under key-1, then key-2").build()).create();
        }
        long rotating = System.nanoTime();
        Reply rotation = api.post(clusters + "/plant/encryption-key-rotation", null);
        assertThat(rotation.status()).as(rotation.toString()).isEqualTo(202);
        JsonNode rotated = api.awaitField(clusters + "/plant", "/encryptionKeyRotation/phase", "Done", Duration.ofMinutes(10));
        System.out.printf("e2e: encryption key rotation on the pods runtime Done %d ms after the request, %d Secrets rewritten%n",
                (System.nanoTime() - rotating) / 1_000_000, rotated.at("/encryptionKeyRotation/secretsRewritten").asLong());
        JsonNode keys = api.awaitField(clusters + "/plant", "/encryptionKeys/0", "key-2", Duration.ofMinutes(1)).path("encryptionKeys");
        assertThat(keys.size()).as(keys.toString()).isEqualTo(1);
        assertThat(client.apps().deployments().inNamespace(tenantNamespace).withName("kube-apiserver").get()
                .getSpec().getTemplate().getMetadata().getAnnotations()).containsEntry("edgeplane.io/encryption-keys", "key-2");
        api.awaitPhase(clusters + "/plant", "Running", Duration.ofMinutes(3));
        assertThat(rotated.at("/encryptionKeyRotation/secretsRewritten").asLong()).isPositive();
        try (KubernetesClient tenant = TenantClient.of(tenantKubeconfig)) {
            // Only key-2 is configured now: the Secret reads because it was rewritten under it.
            assertThat(new String(Base64.getDecoder().decode(tenant.secrets().inNamespace("default").withName("before-rotation").get()
                    .getData().get("recipe")), StandardCharsets.UTF_8)).isEqualTo("kept under key-1, then key-2");
        }

        // A device joins with its script and the kubelet fetched over HTTPS, the seed's CA pinned.
        try (Device edge = Device.create("edge-h")) {
            EdgeDevices.sharesTheHostKernel(edge);
            String machines = clusters + "/plant/machinedeployments";
            assertThat(api.post(machines, "{\"name\":\"edge-h\",\"os\":\"debian-12\",\"arch\":\"" + EdgeDevices.arch() + "\"}").status())
                    .isEqualTo(201);
            Reply script = api.get(machines + "/edge-h/provisioning-script");
            assertThat(script.status()).as(script.toString()).isEqualTo(200);
            assertThat(script.body()).contains("https://" + node + ":" + HTTPS_NODE_PORT).doesNotContain("curl -k");
            CommandResult provisioned = EdgeDevices.runScript(edge, script.body());
            assertThat(provisioned.exitCode()).as(provisioned.stdout() + provisioned.stderr()).isZero();
            api.awaitPhase(machines + "/edge-h", "Ready", Duration.ofMinutes(4));

            // A workload deployed to it; the replica that claims the deploy is killed at once, with no grace period.
            killTheClaimHolderOfADeploy(api, seedCluster, client, edge, registry, clusters + "/plant", localJdbc, postgres);
        }
        awaitReplicasReady(client, Duration.ofMinutes(4));

        // helm upgrade with another Seed: every replica serves the new datacenter, without a restart.
        Files.writeString(values, values(image, node, registry, binaries, seed(node, registry, "lab") + datacenter("lab-2")));
        helm(helm, home, "upgrade", RELEASE, chart(), "-n", NAMESPACE, "-f", values.toString(), "--kubeconfig", kubeconfig.toString(),
                "--wait", "--timeout", "5m");
        // The kubelet refreshes each pod's mounted ConfigMap on its own sync period (about a minute), then that
        // replica reloads the seed file: every replica serves the new Seed when many answers in a row have it.
        long upgraded = System.nanoTime();
        long deadline = upgraded + TimeUnit.SECONDS.toNanos(240);
        int inARow = 0;
        while (inARow < 10 && System.nanoTime() < deadline) {
            try {
                inARow = api.get("/api/v1/datacenters").body().contains("lab-2") ? inARow + 1 : 0;
            } catch (IOException e) {
                // A refused connection here (seen once, on a cold machine running two E2Es at once) starts the count
                // again: this step checks the Seed reload; the rolling upgrade below is where availability is asserted.
                System.out.printf("e2e: a read after the Seed upgrade failed (%s); counting again%n", e);
                inARow = 0;
            }
            Thread.sleep(inARow == 0 ? 1000 : 100);
        }
        System.out.printf("e2e: the upgraded Seed served by every replica %d ms after helm upgrade%n",
                (System.nanoTime() - upgraded) / 1_000_000);
        assertThat(inARow).as("ten answers in a row with the new datacenter; seed status %s; logs:%s",
                api.get("/api/v1/seed").body(), logs(client)).isEqualTo(10);

        // A rolling upgrade to another image tag while a client reads the API every 200 ms: not one read fails.
        rollToAnotherImageTag(helm, home, values, kubeconfig, client, registry, api, token);

        // Uninstall removes the seed manager and keeps what it does not own.
        helm(helm, home, "uninstall", RELEASE, "-n", NAMESPACE, "--kubeconfig", kubeconfig.toString(), "--wait", "--timeout", "3m");
        assertThat(client.apps().deployments().inNamespace(NAMESPACE).list().getItems()).isEmpty();
        assertThat(client.namespaces().withName(tenantNamespace).get()).as("the tenant's control plane stays").isNotNull();
        assertThat(client.secrets().inNamespace(NAMESPACE).withName("edgeplane-master-key").get()).as("never the chart's").isNotNull();
        assertThat(client.secrets().inNamespace(NAMESPACE).withName("edgeplane-admin-token").get()).isNotNull();
    }

    /**
     * Deploys a workload to {@code device} and deletes, with no grace period, the replica that holds its claim as soon
     * as one does. The other replica carries the deploy out once the claim's lease expires, and the device runs the
     * workload exactly once: one static pod, one container.
     */
    private void killTheClaimHolderOfADeploy(Api api, SeedCluster seedCluster, KubernetesClient client, Device device, LocalRegistry registry, String cluster,
                                             String localJdbc, EmbeddedPostgres postgres) throws Exception {
        assertThat(api.post("/api/v1/projects/acme/apps", WorkloadApi.appBody("hello", "1", TestImages.helloHttp(registry), null)).status())
                .isEqualTo(201);
        String workload = cluster + "/workloads/hello";
        long started = System.nanoTime();
        Reply deployed = api.post(cluster + "/workloads", WorkloadApi.deployBody("hello", "hello", "1", List.of(device.name()), "hi", false, true));
        assertThat(deployed.status()).as(deployed.toString()).isEqualTo(202);
        WorkloadClaim claim = awaitWorkloadClaim(localJdbc, postgres, "hello");
        assertThat(claim.owner()).as("a replica claimed the deploy before it was carried out; seen: %s", claim).isNotNull();
        Pod victim = replicaOf(client, claim.owner());
        long killed = System.nanoTime();
        crash(seedCluster, victim);
        WorkloadClaim afterKill = workloadRow(localJdbc, postgres, "hello");
        System.out.printf("e2e: workload deploy claimed %d ms after the request, in state %s, by %s: killed; then the claim was %s%n",
                (claim.seenAt() - started) / 1_000_000, claim.state(), victim.getMetadata().getName(),
                claim.owner().equals(afterKill.owner()) ? "still the killed replica's, state " + afterKill.state()
                        : "released by it before it died, state " + afterKill.state());
        api.awaitField(workload, "state", "running", Duration.ofMinutes(3));
        System.out.printf("e2e: workload running %d ms after the replica holding its claim was killed (%d ms after the deploy)%n",
                (System.nanoTime() - killed) / 1_000_000, (System.nanoTime() - started) / 1_000_000);

        // Exactly once: the tenant cluster mirrors one static pod of it, the device's containerd has one container of its image.
        Path kubeconfig = dir.resolve("plant.kubeconfig");
        Files.writeString(kubeconfig, api.get(cluster + "/kubeconfig").body());
        try (KubernetesClient tenant = TenantClient.of(kubeconfig)) {
            assertThat(WorkloadE2E.workloadPods(tenant, "hello")).as("pods of the workload").hasSize(1);
        }
        CommandResult containers = device.exec(List.of("ctr", "--namespace", "k8s.io", "containers", "ls"), Map.of(), Duration.ofSeconds(30));
        assertThat(containers.exitCode()).as(containers.stderr()).isZero();
        assertThat(containers.stdout().lines().filter(line -> line.contains("/edgeplane/hello-http:")))
                .as("containers of the workload's image on the device:%n%s", containers.stdout()).hasSize(1);
    }

    /**
     * {@code helm upgrade} to the same image under another tag, two replicas, while {@link ApiAvailability} lists the
     * project's clusters every 200 ms over HTTPS through the NodePort, from before the upgrade until both new replicas
     * are Ready and both old ones are gone. Fails on any failed read.
     */
    private void rollToAnotherImageTag(HelmBinary helm, Path home, Path values, Path kubeconfig, KubernetesClient client,
                                       LocalRegistry registry, Api api, String token) throws Exception {
        String retagged = SeedManagerImage.push(registry, "e2e-rolled");
        String tag = retagged.substring(retagged.lastIndexOf(':') + 1);
        List<String> before = replicas(client).stream().map(p -> p.getMetadata().getName()).toList();
        ApiAvailability.Result reads;
        long started;
        long rolledOut;
        try (ApiAvailability availability = ApiAvailability.start(URI.create(api.base() + "/api/v1/projects/acme/clusters"), token,
                api.tls(), Duration.ofMillis(200))) {
            Thread.sleep(1000);   // a few reads before
            started = System.nanoTime();
            helm(helm, home, "upgrade", RELEASE, chart(), "-n", NAMESPACE, "-f", values.toString(), "--set", "image.tag=" + tag,
                    "--kubeconfig", kubeconfig.toString(), "--wait", "--timeout", "5m");
            awaitRolledOut(client, before, tag, Duration.ofMinutes(5));
            rolledOut = System.nanoTime();
            Thread.sleep(1000);   // and a few after
            reads = availability.stop();
        }
        System.out.printf("e2e: rolling upgrade to tag %s: two new replicas Ready and the old ones gone %d ms after helm upgrade; "
                        + "%d API reads during it, %d failed, longest gap between answers %d ms, slowest answer %d ms%n",
                tag, (rolledOut - started) / 1_000_000, reads.requests(), reads.failures().size(), reads.longestGap().toMillis(),
                reads.slowest().toMillis());
        assertThat(reads.failures()).as("failed API reads during the rolling upgrade").isEmpty();
        assertThat(replicas(client)).hasSize(2).allSatisfy(p -> assertThat(p.getSpec().getContainers().get(0).getImage()).endsWith(":" + tag));
    }

    /** Until both replicas run {@code tag} and are Ready, and none of the pods {@code before} exists any more. */
    private static void awaitRolledOut(KubernetesClient client, List<String> before, String tag, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            List<Pod> pods = replicas(client);
            boolean done = pods.size() == 2 && pods.stream().allMatch(p -> !before.contains(p.getMetadata().getName())
                    && p.getSpec().getContainers().get(0).getImage().endsWith(":" + tag)
                    && p.getStatus().getConditions().stream().anyMatch(c -> "Ready".equals(c.getType()) && "True".equals(c.getStatus())));
            if (done) {
                return;
            }
            Thread.sleep(250);
        }
        throw new AssertionError("not rolled out to " + tag + " within " + timeout + ":" + logs(client));
    }

    private static List<Pod> replicas(KubernetesClient client) {
        return client.pods().inNamespace(NAMESPACE).withLabel("app.kubernetes.io/name", "edgeplane-seed-manager").list().getItems();
    }

    /** The pod whose replica's claim owner name ({@code <pod name>:<data directory hash>}) is {@code owner}. */
    private static Pod replicaOf(KubernetesClient client, String owner) {
        return replicas(client).stream().filter(p -> owner.startsWith(p.getMetadata().getName() + ":")).findFirst()
                .orElseThrow(() -> new AssertionError("no seed-manager pod holds the lease " + owner));
    }

    /** A workload's claim as first seen: its owner (null if the workload was running before any claim was seen) and state then. */
    private record WorkloadClaim(String owner, String state, long seenAt) {
    }

    /** The workload's claim owner and state now. */
    private static WorkloadClaim workloadRow(String jdbc, EmbeddedPostgres postgres, String workload) throws Exception {
        try (Connection db = DriverManager.getConnection(jdbc, postgres.username(), postgres.password());
             PreparedStatement query = db.prepareStatement("SELECT lease_owner, state FROM workloads WHERE name = ?")) {
            query.setString(1, workload);
            try (ResultSet r = query.executeQuery()) {
                assertThat(r.next()).as("workload %s exists", workload).isTrue();
                return new WorkloadClaim(r.getString(1), r.getString(2), System.nanoTime());
            }
        }
    }

    /**
     * A replica lost as in a crash: its JVM gets SIGKILL on the node (a pod deleted even with no grace period gets
     * its preStop hook and SIGTERM first, and time to finish its pass), then its pod is deleted so that it does not
     * come back under the same claim owner name, which releases its own leases at start.
     */
    private static void crash(SeedCluster seedCluster, Pod victim) {
        String container = victim.getStatus().getContainerStatuses().get(0).getContainerID().replaceFirst("^containerd://", "");
        CommandResult killed = seedCluster.node().exec(List.of("ctr", "--namespace", "k8s.io", "tasks", "kill", "--signal", "SIGKILL", container),
                Map.of(), Duration.ofSeconds(20));
        assertThat(killed.exitCode()).as("SIGKILL to %s: %s", victim.getMetadata().getName(), killed.stderr()).isZero();
        seedCluster.client().pods().inNamespace(NAMESPACE).resource(victim).withGracePeriod(0).delete();
    }

    /** Polls the workload's row every few milliseconds until a replica holds its claim, or it runs without one having been seen. */
    private static WorkloadClaim awaitWorkloadClaim(String jdbc, EmbeddedPostgres postgres, String workload) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection db = DriverManager.getConnection(jdbc, postgres.username(), postgres.password());
             PreparedStatement query = db.prepareStatement("SELECT lease_owner, state FROM workloads WHERE name = ?")) {
            query.setString(1, workload);
            while (System.nanoTime() < deadline) {
                try (ResultSet r = query.executeQuery()) {
                    if (r.next() && (r.getString(1) != null || "running".equals(r.getString(2)))) {
                        return new WorkloadClaim(r.getString(1), r.getString(2), System.nanoTime());
                    }
                }
                Thread.sleep(5);
            }
        }
        throw new AssertionError("no replica claimed workload " + workload + " within 120 s");
    }

    /** Until the Deployment's replicas are all ready; otherwise fails with every pod's state and the end of its log. */
    private static void awaitReplicasReady(KubernetesClient client, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            var deployment = client.apps().deployments().inNamespace(NAMESPACE).withName(RELEASE + "-seed-manager").get();
            if (deployment != null && deployment.getStatus() != null && deployment.getSpec().getReplicas().equals(deployment.getStatus().getReadyReplicas())
                    && deployment.getSpec().getReplicas().equals(deployment.getStatus().getUpdatedReplicas())) {
                return;
            }
            Thread.sleep(2000);
        }
        throw new AssertionError("the seed-manager replicas were not ready within " + timeout + ":" + logs(client));
    }

    /** Every pod of the release namespace: its state and the end of its log. */
    private static String logs(KubernetesClient client) {
        StringBuilder state = new StringBuilder();
        for (Pod pod : client.pods().inNamespace(NAMESPACE).list().getItems()) {
            state.append("\n--- pod ").append(pod.getMetadata().getName()).append(' ').append(pod.getStatus()).append('\n');
            try {
                state.append(client.pods().inNamespace(NAMESPACE).withName(pod.getMetadata().getName()).tailingLines(60).getLog());
            } catch (RuntimeException noLog) {
                state.append("(no log: ").append(noLog.getMessage()).append(')');
            }
        }
        return state.toString();
    }

    /** Both static volumes hold the binaries: whichever the claim binds gives the replicas the artifacts to serve. */
    private static void prepareBinariesVolumes(SeedCluster seedCluster, KubernetesBinaries binaries) throws Exception {
        Path root = binaries.dir().getParent().getParent();
        for (Path volume : seedCluster.volumeDirectories()) {
            Path target = volume.resolve(root.relativize(binaries.dir()));
            Files.createDirectories(target);
            for (List<String> command : List.of(List.of("cp", "-a", binaries.dir() + "/.", target.toString()),
                    List.of("chmod", "-R", "a+rwX", volume.toString()))) {
                assertThat(new ProcessBuilder(command).inheritIO().start().waitFor()).as(String.join(" ", command)).isZero();
            }
        }
    }

    private static String values(String image, String node, LocalRegistry registry, KubernetesBinaries binaries, String seed) throws Exception {
        String kubernetes = binaries.versions().kubernetes();
        Map<String, String> images = ControlPlaneImages.push(registry, binaries);
        String repository = image.substring(0, image.lastIndexOf(':'));
        String tag = image.substring(image.lastIndexOf(':') + 1);
        return """
                image: {repository: %s, tag: %s}
                database: {existingSecret: edgeplane-database}
                tls: {existingSecret: edgeplane-tls}
                binaries: {source: directory, existingClaim: edgeplane-binaries}
                reconcileLease: 15s
                mirrorUrl: https://%s:%d
                # One replica would hold a device's relay session; the pod network is not part of this test.
                podNetwork: {enabled: false}
                service: {type: NodePort, httpsNodePort: %d}
                resources:
                  requests: {cpu: 50m, memory: 320Mi}
                  limits: {memory: 1Gi}
                controlPlaneImages:
                  etcd: %s
                  kubeApiserver: %s
                  konnectivityServer: %s
                  kubeControllerManager: %s
                  kubeScheduler: %s
                seed: |
                %s
                """.formatted(repository, tag, node, HTTPS_NODE_PORT, HTTPS_NODE_PORT,
                images.get("etcd"), images.get("kube-apiserver").replace(":" + kubernetes, ":{version}"),
                images.get("konnectivity-server"), images.get("kube-controller-manager").replace(":" + kubernetes, ":{version}"),
                images.get("kube-scheduler").replace(":" + kubernetes, ":{version}"), seed.indent(2).stripTrailing());
    }

    private static String seed(String node, LocalRegistry registry, String datacenter) {
        return EdgeDevices.seed(node, registry.hostPort(), TestImages.pause(registry)).replace("exposeStrategy: HostPort", "exposeStrategy: NodePort")
                .replace("    lab:", "    " + datacenter + ":");
    }

    private static String datacenter(String name) {
        return """
                    %s:
                      country: DE
                      location: Test bed network, second site
                      spec:
                        edge: {}
                """.formatted(name);
    }

    private static String chart() {
        return Path.of(System.getProperty("repositoryRoot", "."), "seed-manager", "chart").toString();
    }

    private static void helm(HelmBinary helm, Path home, String... args) {
        ToolRun run = helm.run(home, args);
        assertThat(run.succeeded()).as(run.toString()).isTrue();
    }

    /** PKCS#8, as cert-manager and openssl write it; the SEC1 form Bouncy Castle writes for a JDK key leaves out its curve. */
    private static String pkcs8(PrivateKey key) {
        return "-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
                .encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n";
    }

    private static String secret(KubernetesClient client, String name, String key) {
        return new String(Base64.getDecoder().decode(client.secrets().inNamespace(NAMESPACE).withName(name).get().getData().get(key)),
                StandardCharsets.UTF_8).strip();
    }

    /** The replica (pod name and data directory hash) holding the cluster's lease, as soon as one does. */
    private static String awaitLeaseHolder(String jdbc, EmbeddedPostgres postgres, String cluster) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(120);
        try (Connection db = DriverManager.getConnection(jdbc, postgres.username(), postgres.password())) {
            while (System.nanoTime() < deadline) {
                try (Statement s = db.createStatement();
                     ResultSet r = s.executeQuery("SELECT lease_owner FROM clusters WHERE name = '" + cluster + "' AND lease_owner IS NOT NULL")) {
                    if (r.next()) {
                        return r.getString(1);
                    }
                }
                Thread.sleep(20);
            }
        }
        throw new AssertionError("no replica claimed cluster " + cluster + " within 120 s");
    }

    /** The admin API over HTTPS, verified against the CA of the TLS Secret. */
    private record Api(String base, String caPem, String token) {
        Reply get(String path) throws Exception {
            return send("GET", path, null);
        }

        Reply post(String path, String json) throws Exception {
            return send("POST", path, json);
        }

        Reply send(String method, String path, String json) throws Exception {
            HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(base + path)).timeout(Duration.ofSeconds(30))
                    .header("Authorization", "Bearer " + token)
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(json));
            if (json != null) {
                request.header("Content-Type", "application/json");
            }
            HttpResponse<String> response = client().send(request.build(), HttpResponse.BodyHandlers.ofString());
            return new Reply(response.statusCode(), response.headers().firstValue("Content-Type").orElse(""), response.body());
        }

        /** The first answer to a GET, through connections refused while the Service does not route yet. */
        Reply awaitAnswer(String path, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            while (true) {
                try {
                    return get(path);
                } catch (IOException e) {
                    if (System.nanoTime() > deadline) {
                        throw e;
                    }
                    Thread.sleep(500);
                }
            }
        }

        JsonNode awaitPhase(String path, String phase, Duration timeout) throws Exception {
            return awaitField(path, "phase", phase, timeout);
        }

        JsonNode awaitField(String path, String field, String value, Duration timeout) throws Exception {
            long deadline = System.nanoTime() + timeout.toNanos();
            String last = "";
            while (System.nanoTime() < deadline) {
                try {
                    Reply reply = get(path);
                    last = reply.toString();
                    // A plain name or a JSON pointer (/encryptionKeyRotation/phase).
                    if (reply.status() == 200 && JSON.readTree(reply.body()).at(field.startsWith("/") ? field : "/" + field).asText().equals(value)) {
                        return JSON.readTree(reply.body());
                    }
                } catch (IOException e) {
                    last = e.toString();   // a replica going away mid-request
                }
                Thread.sleep(1000);
            }
            throw new AssertionError(path + " did not reach " + field + " " + value + " within " + timeout + "; last: " + last);
        }

        private HttpClient client() throws Exception {
            return HttpClient.newBuilder().sslContext(tls()).connectTimeout(Duration.ofSeconds(5)).build();
        }

        /** Trusts only the CA of the TLS Secret. */
        SSLContext tls() throws Exception {
            KeyStore trust = KeyStore.getInstance(KeyStore.getDefaultType());
            trust.load(null, null);
            trust.setCertificateEntry("seed-ca", CertificateFactory.getInstance("X.509")
                    .generateCertificate(new ByteArrayInputStream(caPem.getBytes(StandardCharsets.US_ASCII))));
            TrustManagerFactory factory = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            factory.init(trust);
            SSLContext tls = SSLContext.getInstance("TLS");
            tls.init(null, factory.getTrustManagers(), null);
            return tls;
        }
    }
}
