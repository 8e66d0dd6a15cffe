package io.edgeplane.seedmanager.machine;

import io.edgeplane.provisioner.script.KubernetesNames;
import io.edgeplane.provisioner.script.ProvisioningInputValidator;
import io.edgeplane.provisioner.ssh.SshTargets;
import io.edgeplane.seedmanager.api.RequestFields;
import io.micronaut.core.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * A validated {@code POST .../machinedeployments} body. Every problem is reported at once with its
 * field path ({@code ssh.credential.privateKey}, {@code taints[1].effect}); nothing is stored for a
 * bad request.
 */
public record MachineDeploymentRequest(String name, String os, String arch, Map<String, String> labels,
                                       List<MachineDeploymentView.TaintView> taints, @Nullable MachineSsh ssh,
                                       @Nullable SshSecret secret) {
    public static MachineDeploymentRequest parse(@Nullable Map<String, Object> body) {
        RequestFields fields = RequestFields.of(body, Set.of("name", "os", "arch", "labels", "taints", "ssh", "replicas"));
        String name = fields.dnsLabel("name");
        String os = fields.oneOf("os", true, ProvisioningInputValidator.OPERATING_SYSTEMS);
        String arch = fields.oneOf("arch", true, ProvisioningInputValidator.ARCHITECTURES);
        Integer replicas = fields.integer("replicas", false, 0, Integer.MAX_VALUE);
        if (replicas != null && replicas != 1) {
            fields.problem("replicas", "must be 1: a MachineDeployment is exactly one edge device (its name is the node name); "
                    + "register one MachineDeployment per device instead");
        }
        Map<String, String> labels = fields.stringMap("labels", 64);
        labels.forEach((key, value) -> KubernetesNames.qualifiedNameProblem(key)
                .or(() -> KubernetesNames.kubeletLabelProblem(key))
                .map(p -> "key " + p)
                .or(() -> KubernetesNames.labelValueProblem(value).map(p -> "value " + p))
                .ifPresent(p -> fields.problem("labels." + key, p)));
        List<MachineDeploymentView.TaintView> taints = new ArrayList<>();
        for (RequestFields taint : fields.objects("taints", Set.of("key", "value", "effect"), 32)) {
            String key = taint.string("key", true, 316);
            String value = Optional.ofNullable(taint.string("value", false, 63)).orElse("");
            String effect = taint.oneOf("effect", true, ProvisioningInputValidator.TAINT_EFFECTS);
            if (key != null) {
                KubernetesNames.qualifiedNameProblem(key).ifPresent(p -> taint.problem("key", p));
            }
            KubernetesNames.labelValueProblem(value).ifPresent(p -> taint.problem("value", p));
            taints.add(new MachineDeploymentView.TaintView(key, value, effect));
        }
        MachineSsh ssh = null;
        SshSecret secret = null;
        Optional<RequestFields> sshFields = fields.object("ssh", false,
                Set.of("host", "port", "user", "hostKeyFingerprint", "knownHosts", "credential"));
        if (sshFields.isPresent()) {
            RequestFields s = sshFields.get();
            String host = s.string("host", false, 253);
            Integer port = Optional.ofNullable(s.integer("port", false, 1, 65535)).orElse(22);
            String user = s.string("user", false, 32);
            String fingerprint = s.string("hostKeyFingerprint", false, 128);
            String knownHosts = s.string("knownHosts", false, 65536);
            Optional<RequestFields> credential = s.object("credential", false, Set.of("privateKey", "passphrase", "password"));
            String privateKey = credential.map(c -> c.string("privateKey", false, 65536)).orElse(null);
            String passphrase = credential.map(c -> c.string("passphrase", false, 1024)).orElse(null);
            String password = credential.map(c -> c.string("password", false, 1024)).orElse(null);
            // The SSH library judges targets the way it will use them: host key pins parsed, keys really read.
            SshTargets.problems(host, port, user, fingerprint, knownHosts, privateKey, passphrase, password)
                    .forEach(p -> s.problem(p.field(), p.message()));
            ssh = new MachineSsh(host, port, user, fingerprint, knownHosts, privateKey != null ? "privateKey" : "password");
            secret = new SshSecret(privateKey, passphrase, password);
        }
        fields.check();
        return new MachineDeploymentRequest(name, os, arch, labels, List.copyOf(taints), ssh, secret);
    }
}
