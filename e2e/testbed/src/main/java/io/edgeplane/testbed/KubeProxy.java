package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * kube-proxy in iptables mode on the host, serving the seed node's Services: ClusterIPs, and
 * NodePorts on the node address only (never on loopback, which would need route_localnet). Its
 * configuration leaves every conntrack setting of the host as it is. Its rules outlive it; {@link
 * #cleanup} removes them ({@link SeedHost} does, also after a killed run).
 */
final class KubeProxy implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(KubeProxy.class);

    private final ManagedProcess process;
    private final int healthzPort;

    private KubeProxy(ManagedProcess process, int healthzPort) {
        this.process = process;
        this.healthzPort = healthzPort;
    }

    /** @param clusterCidr the pods' addresses: traffic from elsewhere to a Service is masqueraded */
    static KubeProxy start(KubernetesBinaries binaries, ApiServer api, Path dir, String nodeName, String nodeAddress,
                           String clusterCidr) {
        // Bound by the system:node-proxier ClusterRoleBinding every apiserver creates.
        ApiServer.write(dir.resolve("kube-proxy.kubeconfig"), api.kubeconfigFor("system:kube-proxy", List.of()));
        int healthzPort = Ports.free();
        ApiServer.write(dir.resolve("kube-proxy.yaml"), String.join("\n",
                "apiVersion: kubeproxy.config.k8s.io/v1alpha1",
                "kind: KubeProxyConfiguration",
                "clientConnection:",
                "  kubeconfig: " + dir.resolve("kube-proxy.kubeconfig"),
                "hostnameOverride: " + nodeName,
                "bindAddress: " + nodeAddress,
                "healthzBindAddress: 127.0.0.1:" + healthzPort,
                "metricsBindAddress: 127.0.0.1:" + Ports.free(),
                "mode: iptables",
                "clusterCIDR: " + clusterCidr,
                "detectLocalMode: ClusterCIDR",
                "nodePortAddresses: [" + nodeAddress + "/32]",
                "oomScoreAdj: 0",
                "iptables:",
                "  localhostNodePorts: false",
                "conntrack:", // zero: keep the host's values
                "  maxPerCore: 0",
                "  min: 0",
                "  tcpEstablishedTimeout: 0s",
                "  tcpCloseWaitTimeout: 0s",
                ""));
        ManagedProcess process = ManagedProcess.start("kube-proxy", List.of(binaries.binary("kube-proxy").toString(),
                "--config=" + dir.resolve("kube-proxy.yaml"), "--v=1"), dir.resolve("kube-proxy.log"), Map.of());
        return new KubeProxy(process, healthzPort);
    }

    /** Waits until kube-proxy has written its rules once (its healthz answers 200 from then on). */
    void awaitSynced(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + healthzPort + "/healthz"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("kube-proxy exited:\n" + process.logTail(30));
            }
            try {
                HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
                if (response.statusCode() == 200) {
                    return;
                }
                last = response.statusCode() + " " + response.body();
            } catch (IOException notYet) {
                last = notYet.toString();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException(e);
            }
            ApiServer.sleep(200);
        }
        throw new IllegalStateException("kube-proxy not synced after " + timeout.toSeconds() + " s (" + last + "):\n"
                + process.logTail(30));
    }

    @Override
    public void close() {
        process.stop();
    }

    /**
     * Removes every kube-proxy rule from the host's iptables (both families) with {@code binary}; false if
     * that failed. Runs while a test-bed run is being set up too, so it uses nothing of the run.
     */
    static boolean cleanup(Path binary) {
        Path output = null;
        try {
            output = Files.createTempFile("edgeplane-kube-proxy-cleanup-", ".log");
            Process process = new ProcessBuilder(binary.toString(), "--cleanup").redirectErrorStream(true)
                    .redirectOutput(output.toFile()).start();
            if (!process.waitFor(60, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                LOG.warn("kube-proxy --cleanup did not finish within 60 s");
                return false;
            }
            if (process.exitValue() != 0) {
                LOG.warn("kube-proxy --cleanup failed (exit {}): {}", process.exitValue(), Files.readString(output).strip());
            }
            return process.exitValue() == 0;
        } catch (IOException e) {
            LOG.warn("cannot run kube-proxy --cleanup: {}", e.getMessage());
            return false;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        } finally {
            if (output != null) {
                output.toFile().delete();
            }
        }
    }
}
