package io.edgeplane.testbed;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/**
 * A real etcd plus kube-apiserver on loopback, with TLS from a fresh test CA and an admin client
 * certificate. Node and RBAC authorization and bootstrap tokens are on, as on a real control plane.
 */
public final class ApiServer implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(ApiServer.class);
    private static final Duration READY_TIMEOUT = Duration.ofSeconds(120);

    private final Path dir;
    private final String url;
    private final TestPki.Credential ca;
    private final TestPki.Credential admin;
    private final ManagedProcess etcd;
    private final ManagedProcess apiserver;
    private final KubernetesClient client;
    private final Duration startTime;

    private ApiServer(Path dir, String url, TestPki.Credential ca, TestPki.Credential admin, ManagedProcess etcd,
                      ManagedProcess apiserver, KubernetesClient client, Duration startTime) {
        this.dir = dir;
        this.url = url;
        this.ca = ca;
        this.admin = admin;
        this.etcd = etcd;
        this.apiserver = apiserver;
        this.client = client;
        this.startTime = startTime;
    }

    public static ApiServer start(KubernetesBinaries binaries) {
        return start(binaries, "127.0.0.1");
    }

    /** Serves on {@code bindAddress}, e.g. the test network's host address so that devices reach it. */
    public static ApiServer start(KubernetesBinaries binaries, String bindAddress) {
        long started = System.nanoTime();
        Path dir = TestBedRun.current().newDir("apiserver");
        Path pki = dir.resolve("pki");
        TestPki.Credential ca = TestPki.authority("edgeplane-testbed-ca").writeTo(pki, "ca");
        // 10.96.0.1: the kubernetes Service's address, which in-cluster clients (a seed manager in a pod) dial.
        TestPki.leaf(ca, "kube-apiserver", List.of(), List.of(bindAddress, "127.0.0.1", "localhost", "kubernetes",
                "kubernetes.default", "kubernetes.default.svc", "10.96.0.1"), true, false).writeTo(pki, "apiserver");
        TestPki.leaf(ca, "kube-apiserver-kubelet-client", List.of("kubeadm:cluster-admins"), List.of(), false, true)
                .writeTo(pki, "apiserver-kubelet-client");
        TestPki.Credential admin = TestPki.leaf(ca, "edgeplane-testbed-admin", List.of("system:masters"), List.of(), false, true)
                .writeTo(pki, "admin");
        TestPki.Credential serviceAccounts = TestPki.authority("service-accounts");
        write(pki.resolve("sa.key"), serviceAccounts.privateKeyPem());
        write(pki.resolve("sa.pub"), serviceAccounts.publicKeyPem());

        int etcdPort = Ports.free();
        int peerPort = Ports.free();
        ManagedProcess etcd = ManagedProcess.start("etcd", List.of(binaries.binary("etcd").toString(),
                "--name=testbed",
                "--data-dir=" + dir.resolve("etcd"),
                "--listen-client-urls=http://127.0.0.1:" + etcdPort,
                "--advertise-client-urls=http://127.0.0.1:" + etcdPort,
                "--listen-peer-urls=http://127.0.0.1:" + peerPort,
                "--initial-advertise-peer-urls=http://127.0.0.1:" + peerPort,
                "--initial-cluster=testbed=http://127.0.0.1:" + peerPort,
                "--unsafe-no-fsync=true", // a throwaway store: durability buys nothing, fsync costs seconds
                "--log-level=warn"), dir.resolve("etcd.log"), Map.of());

        int port = Ports.free();
        ManagedProcess apiserver = ManagedProcess.start("kube-apiserver", List.of(binaries.binary("kube-apiserver").toString(),
                "--etcd-servers=http://127.0.0.1:" + etcdPort,
                "--bind-address=" + bindAddress,
                "--advertise-address=" + bindAddress,
                "--secure-port=" + port,
                "--tls-cert-file=" + pki.resolve("apiserver.crt"),
                "--tls-private-key-file=" + pki.resolve("apiserver.key"),
                "--client-ca-file=" + pki.resolve("ca.crt"),
                "--kubelet-client-certificate=" + pki.resolve("apiserver-kubelet-client.crt"),
                "--kubelet-client-key=" + pki.resolve("apiserver-kubelet-client.key"),
                // As kubeadm: node names (e.g. "seed") are not in any DNS, node addresses are reachable.
                "--kubelet-preferred-address-types=InternalIP,ExternalIP,Hostname",
                "--service-account-issuer=https://kubernetes.default.svc",
                "--service-account-key-file=" + pki.resolve("sa.pub"),
                "--service-account-signing-key-file=" + pki.resolve("sa.key"),
                "--service-cluster-ip-range=10.96.0.0/16",
                "--authorization-mode=Node,RBAC",
                "--enable-bootstrap-token-auth=true",
                "--allow-privileged=true",
                // The "kubernetes" Service would point at 127.0.0.1, which Endpoints reject.
                "--endpoint-reconciler-type=none",
                "--profiling=false",
                "--cert-dir=" + dir.resolve("cert-dir")), dir.resolve("kube-apiserver.log"), Map.of());

        String url = "https://" + bindAddress + ":" + port;
        KubernetesClient client = new KubernetesClientBuilder().withConfig(config(url, ca, admin)).build();
        awaitReady(client, etcd, apiserver);
        Duration took = Duration.ofNanos(System.nanoTime() - started);
        LOG.info("testbed apiserver ready {} in {} ms (dir={})", url, took.toMillis(), dir);
        ApiServer server = new ApiServer(dir, url, ca, admin, etcd, apiserver, client, took);
        server.writeKubeconfig();
        return server;
    }

    public KubernetesClient client() {
        return client;
    }

    public String url() {
        return url;
    }

    /** A kubeconfig for {@code user} with a client certificate from this cluster's CA. */
    public String kubeconfigFor(String user, List<String> groups) {
        TestPki.Credential credential = TestPki.leaf(ca, user, groups, List.of(), false, true);
        return Kubeconfigs.clientCertificate(url, ca.certificatePem(), user, credential.certificatePem(), credential.privateKeyPem());
    }

    public TestPki.Credential ca() {
        return ca;
    }

    /** Admin kubeconfig, for kubectl while debugging: {@code kubectl --kubeconfig <this> get nodes}. */
    public Path kubeconfig() {
        return dir.resolve("admin.kubeconfig");
    }

    public Path dir() {
        return dir;
    }

    /** From first file written to /readyz answering ok. */
    public Duration startTime() {
        return startTime;
    }

    @Override
    public void close() {
        client.close();
        apiserver.stop();
        etcd.stop();
    }

    private void writeKubeconfig() {
        write(kubeconfig(), Kubeconfigs.clientCertificate(url(), ca.certificatePem(), "admin",
                admin.certificatePem(), admin.privateKeyPem()));
    }

    private static Config config(String url, TestPki.Credential ca, TestPki.Credential admin) {
        return new ConfigBuilder()
                .withMasterUrl(url)
                .withCaCertData(base64(ca.certificatePem()))
                .withClientCertData(base64(admin.certificatePem()))
                .withClientKeyData(base64(admin.privateKeyPem()))
                .withClientKeyAlgo("EC")
                .withRequestTimeout(30_000)
                .build();
    }

    private static void awaitReady(KubernetesClient client, ManagedProcess etcd, ManagedProcess apiserver) {
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        String last = "";
        while (System.nanoTime() < deadline) {
            for (ManagedProcess p : List.of(etcd, apiserver)) {
                if (!p.isAlive()) {
                    throw new IllegalStateException(p.name() + " exited during start:\n" + p.logTail(30));
                }
            }
            try {
                if ("ok".equals(client.raw("/readyz"))) {
                    return;
                }
            } catch (RuntimeException notYet) {
                last = notYet.getMessage();
            }
            sleep(200);
        }
        throw new IllegalStateException("kube-apiserver not ready after " + READY_TIMEOUT.toSeconds() + " s (" + last + "):\n"
                + apiserver.logTail(30));
    }

    static String base64(String pem) {
        return Base64.getEncoder().encodeToString(pem.getBytes(StandardCharsets.UTF_8));
    }

    static void write(Path file, String content) {
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
