package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.api.Secrets;
import io.edgeplane.seedmanager.cluster.ClusterConnections.Connection;
import io.edgeplane.seedmanager.cluster.controlplane.pki.MasterKey;
import io.fabric8.kubernetes.api.model.SecretBuilder;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBinding;
import io.fabric8.kubernetes.api.model.rbac.ClusterRoleBindingBuilder;
import io.micronaut.context.annotation.Value;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Bootstrap tokens for devices: one per device at a time, short-lived, in the tenant cluster's
 * kube-system as the standard token Secret. The token's extra group names the device, so what it
 * did is traceable to one MachineDeployment. A script fetched again while its token is valid
 * carries the same token; after expiry it carries a new one.
 */
@Singleton
public class BootstrapTokens {
    private static final Logger LOG = LoggerFactory.getLogger(BootstrapTokens.class);
    static final String GROUP = "system:bootstrappers:edgeplane";
    /** A token with less than this left is replaced: a script must have time to run. */
    private static final Duration MIN_REMAINING = Duration.ofMinutes(10);

    private final MachineBootstrapTokenRepository tokens;
    private final MasterKey masterKey;
    private final Duration ttl;

    public BootstrapTokens(MachineBootstrapTokenRepository tokens, MasterKey masterKey,
                           @Value("${edgeplane.machines.bootstrap-token-ttl:1h}") Duration ttl) {
        this.tokens = tokens;
        this.masterKey = masterKey;
        this.ttl = ttl;
    }

    /** The device's token ({@code <id>.<secret>}), created in the tenant cluster if needed. */
    public String ensure(MachineDeployment machine, Connection tenant) {
        applyBootstrapRbac(tenant);
        RemovedNodes.readmit(tenant, machine.name());
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        Optional<MachineBootstrapToken> current = tokens.findByMachineDeploymentIdOrderByExpiresAtDesc(machine.id()).stream()
                .filter(t -> t.expiresAt().isAfter(now.plus(MIN_REMAINING))).findFirst();
        if (current.isPresent() && secretExists(tenant, current.get().tokenId())) {
            return current.get().tokenId() + "." + open(machine, current.get());
        }
        revokeAll(machine, tenant);
        String id = Secrets.random(6);
        String secret = Secrets.random(16);
        Instant expires = now.plus(ttl);
        tenant.client().secrets().inNamespace("kube-system").resource(new SecretBuilder()
                .withNewMetadata().withName("bootstrap-token-" + id).addToLabels("edgeplane.io/machine", machine.name()).endMetadata()
                .withType("bootstrap.kubernetes.io/token")
                .addToStringData("token-id", id)
                .addToStringData("token-secret", secret)
                .addToStringData("expiration", DateTimeFormatter.ISO_INSTANT.format(expires.truncatedTo(ChronoUnit.SECONDS)))
                .addToStringData("description", "Edgeplane device " + machine.name())
                .addToStringData("usage-bootstrap-authentication", "true")
                .addToStringData("auth-extra-groups", GROUP + "," + deviceGroup(machine.name()))
                .build()).create();
        tokens.save(new MachineBootstrapToken(id, machine.id(), seal(machine, id, secret), expires, now));
        LOG.info("machine={} bootstrap token {} issued, expires {}", machine.name(), id, expires);
        return id + "." + secret;
    }

    /** Deletes every token of the device from the cluster and the database: none authenticates any more. */
    public void revokeAll(MachineDeployment machine, Connection tenant) {
        for (MachineBootstrapToken token : tokens.findByMachineDeploymentIdOrderByExpiresAtDesc(machine.id())) {
            tenant.client().secrets().inNamespace("kube-system").withName("bootstrap-token-" + token.tokenId()).delete();
            LOG.info("machine={} bootstrap token {} revoked", machine.name(), token.tokenId());
        }
        // Also any the database lost track of (a crash between creating the Secret and recording it).
        tenant.client().secrets().inNamespace("kube-system").withLabel("edgeplane.io/machine", machine.name()).delete();
        tokens.deleteByMachineDeploymentId(machine.id());
    }

    static String deviceGroup(String machineName) {
        return GROUP + ":" + machineName;
    }

    private static boolean secretExists(Connection tenant, String id) {
        return tenant.client().secrets().inNamespace("kube-system").withName("bootstrap-token-" + id).get() != null;
    }

    /** Lets bootstrap tokens ask for node client certificates, which the controller-manager approves. */
    private static void applyBootstrapRbac(Connection tenant) {
        for (ClusterRoleBinding binding : List.of(
                binding("edgeplane:node-bootstrapper", GROUP, "system:node-bootstrapper"),
                binding("edgeplane:node-autoapprove-bootstrap", GROUP, "system:certificates.k8s.io:certificatesigningrequests:nodeclient"),
                binding("edgeplane:node-autoapprove-certificate-rotation", "system:nodes",
                        "system:certificates.k8s.io:certificatesigningrequests:selfnodeclient"))) {
            tenant.client().rbac().clusterRoleBindings().resource(binding).fieldManager("edgeplane").forceConflicts().serverSideApply();
        }
    }

    private static ClusterRoleBinding binding(String name, String group, String role) {
        return new ClusterRoleBindingBuilder()
                .withNewMetadata().withName(name).endMetadata()
                .withNewRoleRef().withApiGroup("rbac.authorization.k8s.io").withKind("ClusterRole").withName(role).endRoleRef()
                .addNewSubject().withApiGroup("rbac.authorization.k8s.io").withKind("Group").withName(group).endSubject()
                .build();
    }

    private String seal(MachineDeployment machine, String id, String secret) {
        return Base64.getEncoder().encodeToString(masterKey.seal(secret.getBytes(StandardCharsets.UTF_8), context(machine, id)));
    }

    private String open(MachineDeployment machine, MachineBootstrapToken token) {
        return new String(masterKey.open(Base64.getDecoder().decode(token.sealedSecret()), context(machine, token.tokenId())),
                StandardCharsets.UTF_8);
    }

    private static String context(MachineDeployment machine, String id) {
        return "machine-bootstrap-token:" + machine.id() + ":" + id;
    }
}
