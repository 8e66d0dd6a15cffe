package io.edgeplane.seedmanager.machine;

import io.edgeplane.provisioner.ssh.SshCredential;
import io.edgeplane.provisioner.ssh.SshDelivery;
import io.edgeplane.provisioner.ssh.SshDeliveryException;
import io.edgeplane.provisioner.ssh.SshPolicy;
import io.edgeplane.provisioner.ssh.SshTarget;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import jakarta.annotation.PreDestroy;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Runs a device's provisioning (or deprovisioning) script over SSH with its pinned host key,
 * writing every output line to the provisioning log. Secrets (the bootstrap token, the SSH
 * password) are masked before anything is stored or logged.
 */
@Singleton
public class MachineDelivery {
    private static final Logger LOG = LoggerFactory.getLogger(MachineDelivery.class);

    private final SshDelivery ssh;
    private final SshPolicy policy;
    private final MachineScripts scripts;
    private final ClusterConnections connections;
    private final MachineDeploymentService service;
    private final MachineJson json;
    private final ProvisioningLogRepository logs;

    public MachineDelivery(MachineScripts scripts, ClusterConnections connections, MachineDeploymentService service,
                           MachineJson json, ProvisioningLogRepository logs) {
        this.policy = SshPolicy.defaults();
        this.ssh = new SshDelivery(policy);
        this.scripts = scripts;
        this.connections = connections;
        this.service = service;
        this.json = json;
        this.logs = logs;
    }

    /** How long a delivery may hold its device's claim. */
    Duration maxDuration() {
        return policy.commandTimeout().plus(policy.connectTimeout()).multipliedBy(policy.attempts()).plus(Duration.ofMinutes(1));
    }

    /** Empty on success, else the reason (shown as the MachineDeployment's message). */
    Optional<String> provision(MachineDeployment machine, Cluster cluster) {
        String script;
        try (ClusterConnections.Connection tenant = connections.open(cluster)) {
            script = scripts.provisioning(machine, cluster, tenant);
        }
        return run(machine, script, machine.provisionRequested(), "provisioning");
    }

    Optional<String> deprovision(MachineDeployment machine) {
        return run(machine, scripts.deprovisioning(machine), machine.provisionRequested() + 1, "deprovisioning");
    }

    private Optional<String> run(MachineDeployment machine, String script, long attempt, String what) {
        MachineSsh target = json.ssh(machine);
        SshSecret secret = service.openSecret(machine);
        SshCredential credential = secret.privateKey() != null
                ? new SshCredential.PrivateKey(secret.privateKey(), secret.passphrase())
                : new SshCredential.Password(secret.password());
        Set<String> secrets = new java.util.HashSet<>(BootstrapTokenPattern.find(script));
        if (secret.password() != null) {
            secrets.add(secret.password());
        }
        String[] last = {""};
        try {
            int exit = ssh.run(new SshTarget(target.host(), target.port(), target.user(), target.hostKeyFingerprint(), target.knownHosts(),
                    credential), script, List.of(), secrets, line -> {
                        last[0] = line;
                        logs.save(new ProvisioningLogLine(null, machine.id(), attempt, line, Instant.now().truncatedTo(ChronoUnit.MICROS)));
                    });
            if (exit == 0) {
                return Optional.empty();
            }
            return Optional.of(what + " script failed with exit code " + exit + ": " + last[0]);
        } catch (SshDeliveryException e) {
            String reason = e.reason() == SshDeliveryException.Reason.HOST_KEY_MISMATCH
                    ? "host key mismatch at " + target.host() + ":" + target.port() + ": expected " + e.expectedFingerprint()
                    + ", the device presented " + e.presentedFingerprint() + "; nothing was run"
                    : what + " over SSH failed (" + e.reason() + "): " + e.getMessage();
            logs.save(new ProvisioningLogLine(null, machine.id(), attempt, "edgeplane: " + reason, Instant.now().truncatedTo(ChronoUnit.MICROS)));
            LOG.warn("machine={} {}", machine.name(), reason);
            return Optional.of(reason);
        }
    }

    @PreDestroy
    void close() throws Exception {
        ssh.close();
    }
}
