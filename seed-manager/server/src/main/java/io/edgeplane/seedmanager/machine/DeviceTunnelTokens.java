package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.cluster.ClusterConnections.Connection;
import io.edgeplane.seedmanager.cluster.controlplane.flags.KonnectivityServerFlags;
import io.edgeplane.seedmanager.workload.device.DeviceAccessBuilder;
import io.edgeplane.seedmanager.workload.device.DeviceWorkloadsResource;
import io.fabric8.kubernetes.api.model.Secret;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.ServiceAccountBuilder;
import io.fabric8.kubernetes.api.model.authentication.TokenRequest;
import io.fabric8.kubernetes.api.model.authentication.TokenRequestBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Each device's tunnel token: a ServiceAccount token for the tunnel server's audience, bound to the
 * device's Node object, so that removing the node (deprovisioning) makes it worthless at once, and
 * short-lived, so that a copy taken off a device does not last. Kept in a Secret only that device may
 * read, which its device agent hands to the tunnel agent. Renewed once half its life is gone; the
 * renewal time is remembered per node so that a reconcile pass usually costs no request.
 */
@Singleton
public class DeviceTunnelTokens {
    static final Duration LIFETIME = Duration.ofHours(1);
    static final String NODE_UID = "edgeplane.io/node-uid";
    static final String EXPIRES = "edgeplane.io/expires";
    private static final Logger LOG = LoggerFactory.getLogger(DeviceTunnelTokens.class);
    private static final String MANAGER = "edgeplane-tunnel";

    private final Map<String, Instant> renewAt = new ConcurrentHashMap<>();

    /** Makes sure the device's node has a token with more than half its life left; true when it issued one. */
    public boolean ensure(String ref, Connection tenant, String clusterId, String node, String nodeUid, Instant now) {
        String key = clusterId + "/" + node + "/" + nodeUid;
        Instant due = renewAt.get(key);
        if (due != null && due.isAfter(now)) {
            return false;
        }
        Optional<Instant> kept = current(tenant, node, nodeUid);
        if (kept.isPresent() && renewal(kept.get()).isAfter(now)) {
            renewAt.put(key, renewal(kept.get()));
            return false;
        }
        ensureAccount(tenant);
        TokenRequest request = new TokenRequestBuilder().withNewSpec()
                .withAudiences(KonnectivityServerFlags.AUDIENCE)
                .withExpirationSeconds(LIFETIME.toSeconds())
                .withNewBoundObjectRef().withApiVersion("v1").withKind("Node").withName(node).withUid(nodeUid).endBoundObjectRef()
                .endSpec().build();
        TokenRequest issued = tenant.client().serviceAccounts().inNamespace(KonnectivityServerFlags.AGENT_NAMESPACE)
                .withName(KonnectivityServerFlags.AGENT_SERVICE_ACCOUNT).tokenRequest(request);
        Instant expires = Instant.parse(issued.getStatus().getExpirationTimestamp());
        Secret secret = new SecretBuilder()
                .withNewMetadata().withName(DeviceAccessBuilder.tunnelSecret(node)).withNamespace(DeviceWorkloadsResource.NAMESPACE)
                .withLabels(Map.of("app.kubernetes.io/managed-by", "edgeplane", "edgeplane.io/node", node))
                .withAnnotations(Map.of(NODE_UID, nodeUid, EXPIRES, expires.toString())).endMetadata()
                .withType("Opaque")
                .withData(Map.of("token", Base64.getEncoder().encodeToString(issued.getStatus().getToken().getBytes(StandardCharsets.UTF_8))))
                .build();
        tenant.client().resource(secret).fieldManager(MANAGER).forceConflicts().serverSideApply();
        renewAt.put(key, renewal(expires));
        LOG.info("{} step=tunnel-token issued, expires {}", ref, expires);
        return true;
    }

    /** When the node's token falls due for renewal, as far as known here (empty before its first {@link #ensure}). */
    public Optional<Instant> renewal(String clusterId, String node, String nodeUid) {
        return Optional.ofNullable(renewAt.get(clusterId + "/" + node + "/" + nodeUid));
    }

    /** Forgets the node's renewal time (its Secret goes with the device's other objects). */
    public void forget(String clusterId, String node) {
        renewAt.keySet().removeIf(k -> k.startsWith(clusterId + "/" + node + "/"));
    }

    /** The expiry of the token kept for this very node object, if one is kept. */
    private static Optional<Instant> current(Connection tenant, String node, String nodeUid) {
        Secret secret = tenant.client().secrets().inNamespace(DeviceWorkloadsResource.NAMESPACE)
                .withName(DeviceAccessBuilder.tunnelSecret(node)).get();
        if (secret == null || secret.getMetadata().getAnnotations() == null
                || !nodeUid.equals(secret.getMetadata().getAnnotations().get(NODE_UID))) {
            return Optional.empty();
        }
        try {
            return Optional.of(Instant.parse(secret.getMetadata().getAnnotations().get(EXPIRES)));
        } catch (RuntimeException e) {
            return Optional.empty();
        }
    }

    private static Instant renewal(Instant expires) {
        return expires.minus(LIFETIME.dividedBy(2));
    }

    /** The account tokens are issued for, and the tunnel server's right to review them. */
    private static void ensureAccount(Connection tenant) {
        tenant.client().resource(new ServiceAccountBuilder().withNewMetadata()
                        .withName(KonnectivityServerFlags.AGENT_SERVICE_ACCOUNT).withNamespace(KonnectivityServerFlags.AGENT_NAMESPACE)
                        .withLabels(Map.of("app.kubernetes.io/managed-by", "edgeplane")).endMetadata()
                        .withAutomountServiceAccountToken(false).build())
                .fieldManager(MANAGER).forceConflicts().serverSideApply();
        tenant.client().resource(new ClusterRoleBindingBuilder()
                        .withNewMetadata().withName("edgeplane:konnectivity-server").endMetadata()
                        .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName("system:auth-delegator")
                        .endRoleRef()
                        .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("User").withName(KonnectivityServerFlags.USER)
                        .endSubject().build())
                .fieldManager(MANAGER).forceConflicts().serverSideApply();
    }
}
