package io.edgeplane.testbed;

import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.DeviceNode;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.client.KubernetesClient;
import org.junit.jupiter.api.Test;

import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Proves the test bed: two device sandboxes join a test control plane with hand-made bootstrap
 * kubeconfigs over TLS, run the locally built HTTP image in their CNI networks, answer from the
 * host, and keep the container running while cut off from the control plane; a third machine, the
 * seed node, runs a host-network pod. Prints the figures the test bed is judged by.
 */
class TestBedSelfTestE2E {
    private static final Duration GRACE = Duration.ofSeconds(20);

    @Test
    void devicesJoinRunWorkloadsAndSurviveACutOff() throws Exception {
        TestBedHost.ensurePackages();
        KubernetesBinaries binaries = KubernetesBinaries.ensure();
        TestNetwork network = TestNetwork.current();
        String host = network.hostAddress();
        try (MemorySampler memory = new MemorySampler(MemorySampler.ofRun(TestBedRun.current()));
             LocalRegistry registry = LocalRegistry.start(host);
             ControlPlane controlPlane = ControlPlane.start(binaries, host, GRACE)) {
            KubernetesClient client = controlPlane.client();
            String pause = TestImages.pause(registry);
            String hello = TestImages.helloHttp(registry);

            try (Device seedMachine = Device.create("seed");
                 NodeAgent seed = NodeAgent.start(new DeviceNode(seedMachine), binaries, controlPlane, "10.244.0.0/24", "cni0",
                         pause, registry.hostPort())) {
                seed.awaitReady(client, "True", Duration.ofSeconds(120));
                int port = Ports.free();
                client.pods().inNamespace("default").resource(Pods.helloHttp("hello-seed", "seed", hello, port, true)).create();
                Pods.awaitRunning(client, "default", "hello-seed", Duration.ofSeconds(90));
                assertThat(HttpProbe.get("http://" + seedMachine.address() + ":" + port + "/", Duration.ofSeconds(20)))
                        .contains("hello-seed");

                try (Device edge1 = Device.create("edge-1"); Device edge2 = Device.create("edge-2")) {
                    long started = System.nanoTime();
                    NodeAgent node1 = NodeAgent.start(new DeviceNode(edge1), binaries, controlPlane, "10.244.1.0/24", "cni0", pause,
                            registry.hostPort());
                    NodeAgent node2 = NodeAgent.start(new DeviceNode(edge2), binaries, controlPlane, "10.244.2.0/24", "cni0", pause,
                            registry.hostPort());
                    Duration join1 = node1.awaitReady(client, "True", Duration.ofSeconds(120));
                    Duration join2 = node2.awaitReady(client, "True", Duration.ofSeconds(120));
                    System.out.printf("testbed: device join (start to Ready) edge-1 %d ms, edge-2 %d ms (%d ms since start)%n",
                            join1.toMillis(), join2.toMillis(), (System.nanoTime() - started) / 1_000_000);

                    client.pods().inNamespace("default").resource(Pods.helloHttp("hello-edge", "edge-1", hello, 8080, false)).create();
                    Pod pod = Pods.awaitRunning(client, "default", "hello-edge", Duration.ofSeconds(120));
                    String podIp = pod.getStatus().getPodIP();
                    assertThat(podIp).startsWith("10.244.1.");
                    network.routePodSubnet("10.244.1.0/24", edge1);
                    assertThat(HttpProbe.get("http://" + podIp + ":8080/", Duration.ofSeconds(20))).contains("hello-edge");

                    edge1.cutOff();
                    Duration notReady = node1.awaitReady(client, "Unknown", GRACE.plus(Duration.ofSeconds(60)));
                    System.out.printf("testbed: cut-off device NotReady after %d ms%n", notReady.toMillis());
                    assertThat(edge1.exec("curl", "-fsS", "--max-time", "3", "http://" + podIp + ":8080/").orThrow().stdout())
                            .as("the container keeps running inside the cut-off device").contains("hello-edge");

                    edge1.reconnect();
                    Duration ready = node1.awaitReady(client, "True", Duration.ofSeconds(90));
                    System.out.printf("testbed: reconnected device Ready after %d ms%n", ready.toMillis());
                    assertThat(HttpProbe.get("http://" + podIp + ":8080/", Duration.ofSeconds(20))).contains("hello-edge");

                    node2.close();
                    node1.close();
                }
            }
            System.out.printf("testbed: peak memory of control plane, seed node and two devices %d MiB%n", memory.peakMiB());
        }
    }
}
