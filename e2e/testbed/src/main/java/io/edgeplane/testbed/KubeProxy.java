package io.edgeplane.testbed;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * kube-proxy in iptables mode on a node, serving its Services: ClusterIPs, and NodePorts on the
 * node address only (never on loopback, which would need route_localnet). Its configuration leaves
 * every conntrack setting as it is. It runs in the node's own network namespace, so its rules go with
 * the node and never touch the host's firewall.
 */
final class KubeProxy implements AutoCloseable {
    private final NodeHost node;
    private final ManagedProcess process;
    private final int healthzPort;

    private KubeProxy(NodeHost node, ManagedProcess process, int healthzPort) {
        this.node = node;
        this.process = process;
        this.healthzPort = healthzPort;
    }

    /** @param clusterCidr the pods' addresses: traffic from elsewhere to a Service is masqueraded */
    static KubeProxy start(KubernetesBinaries binaries, ApiServer api, NodeHost node, String clusterCidr) {
        String etc = node.layout().etc() + "kube-proxy/";
        // Bound by the system:node-proxier ClusterRoleBinding every apiserver creates.
        node.writeFile(etc + "kubeconfig", api.kubeconfigFor("system:kube-proxy", List.of()));
        int healthzPort = Ports.free();
        node.writeFile(etc + "config.yaml", String.join("\n",
                "apiVersion: kubeproxy.config.k8s.io/v1alpha1",
                "kind: KubeProxyConfiguration",
                "clientConnection:",
                "  kubeconfig: " + etc + "kubeconfig",
                "hostnameOverride: " + node.nodeName(),
                "bindAddress: " + node.address(),
                // On the node address, so that the test JVM, outside the node's network namespace, can ask.
                "healthzBindAddress: " + node.address() + ":" + healthzPort,
                "metricsBindAddress: 127.0.0.1:" + Ports.free(),
                "mode: iptables",
                "clusterCIDR: " + clusterCidr,
                "detectLocalMode: ClusterCIDR",
                "nodePortAddresses: [" + node.address() + "/32]",
                "oomScoreAdj: 0",
                "iptables:",
                "  localhostNodePorts: false",
                "conntrack:", // zero: keep the kernel's values
                "  maxPerCore: 0",
                "  min: 0",
                "  tcpEstablishedTimeout: 0s",
                "  tcpCloseWaitTimeout: 0s",
                ""));
        ManagedProcess process = node.start("kube-proxy", List.of(node.install(binaries.binary("kube-proxy")),
                "--config=" + etc + "config.yaml", "--v=1"), Map.of());
        return new KubeProxy(node, process, healthzPort);
    }

    /** Waits until kube-proxy has written its rules once (its healthz answers 200 from then on). */
    void awaitSynced(Duration timeout) {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest request = HttpRequest.newBuilder(URI.create("http://" + node.address() + ":" + healthzPort + "/healthz"))
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
        node.stop(process);
    }
}
