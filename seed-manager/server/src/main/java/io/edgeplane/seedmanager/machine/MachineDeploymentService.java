package io.edgeplane.seedmanager.machine;

import io.edgeplane.seedmanager.api.Caller;
import io.edgeplane.seedmanager.api.ConflictException;
import io.edgeplane.seedmanager.api.InvalidInputException;
import io.edgeplane.seedmanager.api.NotFoundException;
import io.edgeplane.seedmanager.api.Page;
import io.edgeplane.seedmanager.api.PageRequest;
import io.edgeplane.seedmanager.api.Secrets;
import io.edgeplane.seedmanager.api.UpstreamException;
import io.edgeplane.seedmanager.cluster.Cluster;
import io.edgeplane.seedmanager.cluster.ClusterConnections;
import io.edgeplane.seedmanager.cluster.ClusterPhase;
import io.edgeplane.seedmanager.cluster.ClusterService;
import io.edgeplane.seedmanager.cluster.controlplane.pki.MasterKey;
import io.fabric8.kubernetes.client.KubernetesClientException;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.transaction.annotation.Transactional;
import jakarta.inject.Singleton;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Base64;
import java.util.List;
import java.util.Map;

/** MachineDeployments as intent: the API writes them, the reconciler acts. */
@Singleton
public class MachineDeploymentService {
    private final MachineDeploymentRepository machines;
    private final ClusterService clusters;
    private final ClusterConnections connections;
    private final MachineScripts scripts;
    private final MachineJson json;
    private final MasterKey masterKey;
    private final ProvisioningLogRepository logs;
    private final PodRanges podRanges;

    public MachineDeploymentService(MachineDeploymentRepository machines, ClusterService clusters, ClusterConnections connections,
                                    MachineScripts scripts, MachineJson json, MasterKey masterKey, ProvisioningLogRepository logs,
                                    PodRanges podRanges) {
        this.machines = machines;
        this.clusters = clusters;
        this.connections = connections;
        this.scripts = scripts;
        this.json = json;
        this.masterKey = masterKey;
        this.logs = logs;
        this.podRanges = podRanges;
    }

    @Transactional
    public MachineDeploymentView create(Caller caller, String project, String clusterName, MachineDeploymentRequest request) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, clusterName);
        InvalidInputException.throwIfAny(request.problems());
        if (cluster.deleteRequested()) {
            throw new ConflictException("cluster " + project + "/" + clusterName + " is being deleted");
        }
        if (machines.findByClusterIdAndName(cluster.id(), request.name()).isPresent()) {
            throw new ConflictException("machine deployment " + request.name() + " already exists in cluster " + project + "/" + clusterName);
        }
        Instant now = now();
        String id = "m" + Secrets.random(10);
        MachineDeployment machine = new MachineDeployment(id, cluster.id(), request.name(), request.os(), request.arch().name(),
                json.write(request.sortedLabels()), json.write(request.taintViews()),
                request.machineSsh() == null ? null : json.write(request.machineSsh()),
                request.secret() == null ? null : sealSecret(id, request.secret()),
                1, 0, 0, 0, 1, MachinePhase.Pending, json.write(MachineStatus.empty()), false, null, null, now, now, now);
        machines.save(machine);
        String podCidr = podRanges.ensure(machine, cluster);   // a full range refuses the device: the row is rolled back
        return view(cluster, machine, podCidr);
    }

    @Transactional
    public Page<MachineDeploymentView> list(Caller caller, String project, String clusterName, PageRequest page) {
        Cluster cluster = clusters.find(caller, project, clusterName);
        List<MachineDeployment> rows = machines.listAfter(cluster.id(), page.after() == null ? "" : page.after(), page.fetchSize());
        Map<String, String> podCidrs = podRanges.ofCluster(cluster.id());
        return page.page(rows, MachineDeployment::name).map(m -> view(cluster, m, podCidrs.get(m.id())));
    }

    @Transactional
    public MachineDeploymentView get(Caller caller, String project, String clusterName, String name) {
        Cluster cluster = clusters.find(caller, project, clusterName);
        return view(cluster, find(cluster, name));
    }

    /** Asks for an SSH delivery of the provisioning script; the reconciler runs it. */
    @Transactional
    public MachineDeploymentView requestProvisioning(Caller caller, String project, String clusterName, String name) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, clusterName);
        MachineDeployment machine = findKept(cluster, name);
        if (machine.ssh() == null) {
            throw new ConflictException("machine deployment " + name + " has no ssh target; fetch the provisioning-script and run it on the device");
        }
        machines.request(machine.id(), 1, false, MachinePhase.Provisioning.name(), now());
        return view(cluster, machines.findById(machine.id()).orElseThrow());
    }

    /**
     * Asks the device's agent to run its onboarding check again; new workloads wait for the device until it passes.
     * Workloads it runs stay.
     */
    @Transactional
    public MachineDeploymentView requestOnboardingCheck(Caller caller, String project, String clusterName, String name) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, clusterName);
        MachineDeployment machine = findKept(cluster, name);
        machines.requestOnboardingCheck(machine.id(), now());
        return view(cluster, machines.findById(machine.id()).orElseThrow());
    }

    /** Renders the script for a person to run (a live call: the bootstrap token lives in the tenant cluster). */
    public String provisioningScript(Caller caller, String project, String clusterName, String name) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, clusterName);
        return render(cluster, findKept(cluster, name));
    }

    /**
     * The script of a device the caller may have (checked by the caller), whichever way it is fetched: 409 before the
     * control plane runs, 502 when its apiserver does not issue the bootstrap token, 503 while binaries are prepared.
     */
    String render(Cluster cluster, MachineDeployment machine) {
        requireRunning(cluster);
        try (ClusterConnections.Connection tenant = connections.open(cluster)) {
            return scripts.provisioning(machine, cluster, tenant);
        } catch (KubernetesClientException e) {
            throw new UpstreamException("the apiserver of cluster " + cluster.project() + "/" + cluster.name()
                    + " did not issue the bootstrap token of " + machine.name() + ": " + e.getMessage());
        }
    }

    private static void requireRunning(Cluster cluster) {
        if (!cluster.phase().controlPlaneRuns()) {
            throw new ConflictException("cluster " + cluster.project() + "/" + cluster.name() + " is " + cluster.phase()
                    + "; provisioning scripts are issued once it is Running");
        }
    }

    @Transactional
    public String deprovisioningScript(Caller caller, String project, String clusterName, String name) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, clusterName);
        return scripts.deprovisioning(find(cluster, name));
    }

    @Transactional
    public List<ProvisioningLogLine> log(Caller caller, String project, String clusterName, String name, long after) {
        Cluster cluster = clusters.find(caller, project, clusterName);
        return logs.findByMachineDeploymentIdAndSeqGreaterThanOrderBySeq(find(cluster, name).id(), after);
    }

    @Transactional
    public MachineDeploymentView delete(Caller caller, String project, String clusterName, String name) {
        caller.requireWritable(project);
        Cluster cluster = clusters.find(caller, project, clusterName);
        MachineDeployment machine = find(cluster, name);
        if (machine.deleteRequested()) {
            return view(cluster, machine);
        }
        machines.request(machine.id(), 0, true, MachinePhase.Deprovisioning.name(), now());
        return view(cluster, machines.findById(machine.id()).orElseThrow());
    }

    /** The device, unless it is being deprovisioned (409): nothing more is asked of a device on its way out. */
    private MachineDeployment findKept(Cluster cluster, String name) {
        MachineDeployment machine = find(cluster, name);
        if (machine.deleteRequested()) {
            throw new ConflictException("machine deployment " + name + " is being deprovisioned");
        }
        return machine;
    }

    MachineDeployment find(Cluster cluster, String name) {
        return machines.findByClusterIdAndName(cluster.id(), name)
                .orElseThrow(() -> new NotFoundException("machine deployment", cluster.project() + "/" + cluster.name() + "/" + name));
    }

    MachineDeploymentView view(Cluster cluster, MachineDeployment m) {
        return view(cluster, m, podRanges.of(m).orElse(null));
    }

    private MachineDeploymentView view(Cluster cluster, MachineDeployment m, @Nullable String podCidr) {
        MachineStatus status = json.status(m);
        MachineSsh ssh = json.ssh(m);
        return new MachineDeploymentView(m.name(), cluster.name(), m.os(), m.arch(), 1, json.labels(m), json.taints(m),
                ssh == null ? null : new MachineDeploymentView.SshView(ssh.host(), ssh.port(), ssh.user(), ssh.hostKeyFingerprint(),
                        ssh.knownHosts() != null, ssh.credentialKind()),
                podCidr, m.phase(), status.nodeName(), status.kubeletVersion(), status.addresses(), status.lastHeartbeat(),
                status.servingCertificate(), status.message(), status.tunnel(), status.podNetwork(), m.onboardingRequest(),
                status.onboarded(), status.conditionsOrNone(), m.generation(), m.observedGeneration(), m.createdAt());
    }

    private String sealSecret(String id, SshSecret secret) {
        return Base64.getEncoder().encodeToString(masterKey.seal(json.write(secret).getBytes(StandardCharsets.UTF_8), sshContext(id)));
    }

    SshSecret openSecret(MachineDeployment machine) {
        byte[] plain = masterKey.open(Base64.getDecoder().decode(machine.sshCredential()), sshContext(machine.id()));
        return json.read(new String(plain, StandardCharsets.UTF_8), Argument.of(SshSecret.class));
    }

    private static String sshContext(String id) {
        return "machine-ssh-credential:" + id;
    }

    private static Instant now() {
        return Instant.now().truncatedTo(ChronoUnit.MICROS);
    }
}
