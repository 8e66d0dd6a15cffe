package io.edgeplane.seedmanager.machine;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.edgeplane.seedmanager.cluster.tenant.TenantCache;
import io.edgeplane.seedmanager.cluster.tenant.TenantKinds;
import io.edgeplane.testbed.ApiServer;
import io.edgeplane.testbed.ApiServerExtension;
import io.fabric8.kubernetes.api.model.Node;
import io.fabric8.kubernetes.api.model.NodeBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequest;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestBuilder;
import io.fabric8.kubernetes.api.model.certificates.v1.CertificateSigningRequestCondition;
import io.fabric8.kubernetes.client.ConfigBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BooleanSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Serving CSRs approved from the CSR informer's events, against a real kube-apiserver (no
 * controller-manager, so nothing is signed): a device's own request is approved once, also across
 * a resync; one naming another node's name is left pending with its refusal logged once; one of a
 * node that is no device is left alone.
 */
@ExtendWith(ApiServerExtension.class)
class ServingCsrWatchesIT {
    private static final String DEVICE = "csr-edge-1";
    private static final String IP = "10.222.0.21";
    private static final String FORGED = "forged-csr-edge-2";

    @Test
    void approvesADevicesOwnRequestOnceAndLeavesAForgedOneRefused(ApiServer server) throws Exception {
        KubernetesClient admin = server.client();
        admin.nodes().resource(node(DEVICE)).create();
        admin.nodes().resource(node("csr-stranger")).create();
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        Logger logger = (Logger) LoggerFactory.getLogger(ServingCsrApproval.class);
        logger.addAppender(logged);
        List<String> woken = new CopyOnWriteArrayList<>();
        try (TenantCache cache = new TenantCache(Duration.ofSeconds(1), () -> List.of("c1"), id -> Optional.of(admin), id -> "cluster=it/" + id);
             KubernetesClient device = asNode(server, DEVICE); KubernetesClient stranger = asNode(server, "csr-stranger")) {
            new ServingCsrWatches(cache, (clusterId, node) -> node.equals(DEVICE) ? Optional.of("machine=it/c1/" + node) : Optional.empty(),
                    id -> Optional.of(admin), (clusterId, node) -> woken.add(node));
            cache.start();
            await("serving CSRs watched", Duration.ofSeconds(30), () -> cache.cached("c1", TenantKinds.SERVING_CSRS));

            submit(device, "csr-own", DEVICE, DEVICE);
            submit(device, FORGED, DEVICE, "csr-edge-2");
            submit(stranger, "csr-of-a-stranger", "csr-stranger", "csr-stranger");

            await("the device's own request approved", Duration.ofSeconds(20), () -> approvals(admin, "csr-own") == 1);
            // Past a resync of the informer (every 30 s), which reviews what is still pending again.
            Thread.sleep(Duration.ofSeconds(35).toMillis());
            assertThat(approvals(admin, "csr-own")).as("approved once").isEqualTo(1);
            assertThat(conditions(admin, FORGED)).as("the forged one is left pending").isEmpty();
            assertThat(conditions(admin, "csr-of-a-stranger")).as("not a device's: none of the seed manager's business").isEmpty();
            assertThat(woken).as("the device is reconciled to show its requests").contains(DEVICE);

            Node node = admin.nodes().withName(DEVICE).get();
            assertThat(ServingCsrs.state(cache.view("c1", admin).servingCsrs(DEVICE), node, null))
                    .as("its status shows the refusal").startsWith("Refused " + FORGED + ": names [csr-edge-2] do not belong to node " + DEVICE);
        } finally {
            logger.detachAppender(logged);
        }
        List<String> warnings = logged.list.stream().filter(e -> e.getLevel() == Level.WARN).map(ILoggingEvent::getFormattedMessage).toList();
        assertThat(warnings).as("the refusal, once").containsExactly("machine=it/c1/" + DEVICE + " serving CSR " + FORGED
                + " left unapproved: names [csr-edge-2] do not belong to node " + DEVICE + " (its names [" + DEVICE + "], addresses [" + IP + "])");
        assertThat(logged.list.stream().filter(e -> e.getLevel() == Level.INFO).map(ILoggingEvent::getFormattedMessage))
                .containsExactly("machine=it/c1/" + DEVICE + " serving CSR csr-own approved");
    }

    private static Node node(String name) {
        return new NodeBuilder().withNewMetadata().withName(name).endMetadata().withNewStatus()
                .addNewAddress().withType("InternalIP").withAddress(IP).endAddress()
                .addNewAddress().withType("Hostname").withAddress(name).endAddress()
                .endStatus().build();
    }

    /** A client with the node's identity, as its kubelet has (impersonated, so the apiserver's node rules apply). */
    private static KubernetesClient asNode(ApiServer server, String node) {
        return new KubernetesClientBuilder().withConfig(new ConfigBuilder(server.client().getConfiguration())
                .withImpersonateUsername("system:node:" + node).withImpersonateGroups("system:nodes", "system:authenticated").build()).build();
    }

    private static void submit(KubernetesClient asNode, String name, String node, String dnsName) throws Exception {
        asNode.certificates().v1().certificateSigningRequests().resource(new CertificateSigningRequestBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewSpec().withSignerName(TenantKinds.KUBELET_SERVING).withUsages("digital signature", "server auth")
                .withRequest(ServingCsrRequests.request("system:node:" + node, dnsName, IP)).endSpec().build()).create();
    }

    private static List<CertificateSigningRequestCondition> conditions(KubernetesClient admin, String name) {
        CertificateSigningRequest csr = admin.certificates().v1().certificateSigningRequests().withName(name).get();
        return csr.getStatus() == null || csr.getStatus().getConditions() == null ? List.of() : csr.getStatus().getConditions();
    }

    private static long approvals(KubernetesClient admin, String name) {
        return conditions(admin, name).stream().filter(c -> "Approved".equals(c.getType())).count();
    }

    private static void await(String what, Duration timeout, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            assertThat(System.nanoTime()).as(what + " in time").isLessThan(deadline);
            Thread.sleep(50);
        }
    }
}
