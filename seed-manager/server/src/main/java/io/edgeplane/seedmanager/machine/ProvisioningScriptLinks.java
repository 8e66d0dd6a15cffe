package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.api.Lifetimes;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.Secrets;
import io.edgeplane.seedmanager.audit.AuditEvent;
import io.edgeplane.seedmanager.audit.AuditRepository;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterRepository;
import io.edgeplane.seedmanager.cluster.ClusterService;
import io.edgeplane.seedmanager.tls.ServingCertificate;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * One-time, short-lived links to a device's provisioning script, so that the command a person runs on the device
 * carries no API token. The secret (256 random bits) is shown once and stored as its SHA-256. The first download that
 * gets the script uses the link up; an answer that is not the script (503 while binaries are prepared, 409 before the
 * control plane runs, 502) leaves it unused. Unknown, used and expired links, and those of a device or cluster being
 * removed, all answer the same 404.
 */
@Singleton
public class ProvisioningScriptLinks {
    static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(15);
    static final Duration MAX_LIFETIME = Duration.ofHours(24);
    static final String PATH = "/provisioning-scripts/";
    private static final int SECRET_BYTES = 32;
    private static final Logger LOG = LoggerFactory.getLogger(ProvisioningScriptLinks.class);

    private final ProvisioningScriptLinkRepository links;
    private final MachineDeploymentService machines;
    private final MachineDeploymentRepository machineRows;
    private final ClusterService clusters;
    private final ClusterRepository clusterRows;
    private final MachineScripts scripts;
    private final ServingCertificate serving;
    private final AuditRepository audit;

    public ProvisioningScriptLinks(ProvisioningScriptLinkRepository links, MachineDeploymentService machines,
                                   MachineDeploymentRepository machineRows, ClusterService clusters, ClusterRepository clusterRows,
                                   MachineScripts scripts, ServingCertificate serving, AuditRepository audit) {
        this.links = links;
        this.machines = machines;
        this.machineRows = machineRows;
        this.clusters = clusters;
        this.clusterRows = clusterRows;
        this.scripts = scripts;
        this.serving = serving;
        this.audit = audit;
    }

    /** A new link for an owner or the admin; {@code requested} null means {@link #DEFAULT_LIFETIME}. */
    @Transactional
    public ProvisioningScriptLinkView create(Caller caller, String project, String clusterName, String name, @Nullable Duration requested) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, clusterName);
        MachineDeployment machine = machines.find(cluster, name);
        Duration lifetime = Lifetimes.within(requested, DEFAULT_LIFETIME, MAX_LIFETIME);
        if (cluster.deleteRequested()) {
            throw new ConflictException("cluster " + project + "/" + clusterName + " is being deleted");
        }
        if (machine.deleteRequested()) {
            throw new ConflictException("machine deployment " + name + " is being deprovisioned");
        }
        Instant now = Instant.now().truncatedTo(ChronoUnit.MICROS);
        String secret = Secrets.urlSafeRandom(SECRET_BYTES);
        ProvisioningScriptLink link = links.save(new ProvisioningScriptLink("l" + Secrets.random(12), machine.id(), Secrets.sha256(secret),
                caller.subject(), now, now.plus(lifetime), null));
        links.sweep(now);
        // The device's architecture may not be prepared yet (the first arm64 device of an amd64 seed): start now.
        scripts.prepareBinaries(machine, cluster);
        LOG.info("cluster={}/{} machine={} provisioning script link={} issued to {} until {}", project, clusterName, name, link.id(),
                caller.subject(), link.expiresAt());
        String url = scripts.deviceBaseUrl() + PATH + secret;
        return new ProvisioningScriptLinkView(url, ProvisioningScriptCommand.render(url, serving.caPem()), link.expiresAt());
    }

    /**
     * The script behind a link, using the link up. Not one transaction: rendering is a live call to the tenant apiserver,
     * so the link is checked first and used up after the script exists, by a conditional UPDATE only one caller wins.
     */
    public Download download(String secret) {
        ProvisioningScriptLink link = links.findUsable(Secrets.sha256(secret)).orElseThrow(ProvisioningScriptLinks::unknown);
        MachineDeployment machine = machineRows.findById(link.machineDeploymentId()).filter(m -> !m.deleteRequested())
                .orElseThrow(ProvisioningScriptLinks::unknown);
        Cluster cluster = clusterRows.findById(machine.clusterId()).filter(c -> !c.deleteRequested())
                .orElseThrow(ProvisioningScriptLinks::unknown);
        String script = machines.render(cluster, machine);
        if (links.consume(link.id()) == 0) {
            throw unknown();
        }
        recordUse(link, cluster, machine);
        return new Download(machine.name(), script);
    }

    private void recordUse(ProvisioningScriptLink link, Cluster cluster, MachineDeployment machine) {
        LOG.info("cluster={}/{} machine={} provisioning script link={} used", cluster.project(), cluster.name(), machine.name(), link.id());
        AuditEvent event = new AuditEvent(null, Instant.now().truncatedTo(ChronoUnit.MICROS), "script-link:" + link.id(),
                "GET " + PATH + "{secret}", "/api/v1/projects/" + cluster.project() + "/clusters/" + cluster.name()
                + "/machinedeployments/" + machine.name() + "/provisioning-script", "200");
        try {
            audit.save(event);
        } catch (RuntimeException e) {
            LOG.error("audit record lost actor={} action={} target={} result={}: {}",
                    event.actor(), event.action(), event.target(), event.result(), e.getMessage());
        }
    }

    private static NotFoundException unknown() {
        return new NotFoundException("provisioning script link", "(unknown, used or expired)");
    }

    /** The script a link gave, and the device it is for. */
    public record Download(String machine, String script) {
    }
}
