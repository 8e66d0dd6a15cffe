package io.edgeplane.seedmanager.machine;

import io.edgeplane.provisioner.script.KubernetesNames;
import io.edgeplane.provisioner.ssh.SshTargets;
import io.edgeplane.seedmanager.api.FieldProblem;
import io.edgeplane.seedmanager.api.Names;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.media.Schema;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * The body of {@code POST .../machinedeployments}: one edge device. Bean Validation judges each
 * field; {@link #problems} adds what needs Kubernetes' and the SSH library's rules (label keys the
 * kubelet may set, host key pins parsed, private keys really read).
 */
@Serdeable
@Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, description = "An edge device to register; its name becomes the node name")
public record MachineDeploymentRequest(
        @Schema(description = "the device's name and node name, a DNS-1123 label", example = "edge-1")
        @NotNull @Size(min = 1, max = Names.DNS_LABEL_MAX) @Pattern(regexp = Names.DNS_LABEL, message = Names.DNS_LABEL_MESSAGE)
        String name,
        @Schema(description = "the device's operating system", allowableValues = {"ubuntu-20.04", "ubuntu-22.04", "ubuntu-24.04", "debian-12"})
        @NotNull @Pattern(regexp = OS, message = "must be one of [debian-12, ubuntu-20.04, ubuntu-22.04, ubuntu-24.04]")
        String os,
        @NotNull
        Architecture arch,
        @Schema(description = "always 1: a MachineDeployment is exactly one device", defaultValue = "1")
        @Nullable @Min(value = 1, message = ONE_DEVICE) @Max(value = 1, message = ONE_DEVICE)
        Integer replicas,
        @Schema(description = "node labels the kubelet sets on registration")
        @Nullable @Size(max = 64)
        Map<String, @NotNull String> labels,
        @Schema(description = "node taints the kubelet sets on registration")
        @Nullable @Size(max = 32)
        List<@Valid @NotNull Taint> taints,
        @Schema(description = "where and how the seed manager delivers the provisioning script; "
                + "without it the script is fetched and run by hand", type = "object")
        @Nullable @Valid
        Ssh ssh) {

    static final String OS = "^(ubuntu-20\\.04|ubuntu-22\\.04|ubuntu-24\\.04|debian-12)$";
    static final String ONE_DEVICE = "must be 1: a MachineDeployment is exactly one edge device (its name is the node name); "
            + "register one MachineDeployment per device instead";

    /** The device architectures the provisioning script supports; the constants are the JSON spellings. */
    @Schema(name = "MachineArchitecture")
    public enum Architecture { amd64, arm64 }

    /** How a taint keeps pods off a node; the constants are Kubernetes' spellings. */
    @Schema(name = "TaintEffect")
    public enum TaintEffect { NoSchedule, PreferNoSchedule, NoExecute }

    @Serdeable
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, name = "TaintRequest")
    public record Taint(
            @Schema(description = "a qualified name: [prefix/]name", example = "edgeplane.io/line")
            @NotNull @Size(min = 1, max = 316)
            String key,
            @Schema(description = "empty when absent", example = "2")
            @Nullable @Size(max = 63)
            String value,
            @NotNull
            TaintEffect effect) {
    }

    @Serdeable
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, name = "SshTargetRequest", description = "An SSH target; the device's host key must be pinned by "
            + "hostKeyFingerprint or knownHosts (exactly one)")
    public record Ssh(
            @Schema(description = "host name or IP address (IPv6 without brackets)", example = "10.0.0.7")
            @NotNull @Size(min = 1, max = 253)
            String host,
            @Schema(description = "22 when absent", defaultValue = "22")
            @Nullable @Min(1) @Max(65535)
            Integer port,
            @Schema(example = "edge")
            @NotNull @Size(min = 1, max = 32)
            String user,
            @Schema(description = "the host key's SHA256 fingerprint, as ssh-keygen -lf prints it",
                    example = "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU")
            @Nullable @Size(max = 128)
            String hostKeyFingerprint,
            @Schema(description = "known_hosts lines listing the device's host key")
            @Nullable @Size(max = 65536)
            String knownHosts,
            @NotNull @Valid
            Credential credential) {
    }

    @Serdeable
    @Schema(additionalProperties = Schema.AdditionalPropertiesValue.FALSE, name = "SshCredentialRequest", description = "Exactly one of privateKey (with its passphrase when it has one) and password; "
            + "sealed at rest and never shown again")
    public record Credential(
            @Schema(description = "an OpenSSH or PEM private key", writeOnly = true)
            @Nullable @Size(max = 65536)
            String privateKey,
            @Schema(writeOnly = true)
            @Nullable @Size(max = 1024)
            String passphrase,
            @Schema(writeOnly = true)
            @Nullable @Size(max = 1024)
            String password) {

        @Override
        public String toString() {
            return "Credential[" + (privateKey != null ? "privateKey" : "password") + "]";
        }
    }

    /** Label keys and values, taint keys and values, and the SSH target, each by its field path. */
    public List<FieldProblem> problems() {
        List<FieldProblem> problems = new ArrayList<>();
        sortedLabels().forEach((key, value) -> KubernetesNames.qualifiedNameProblem(key)
                .or(() -> KubernetesNames.kubeletLabelProblem(key))
                .map(p -> "key " + p)
                .or(() -> KubernetesNames.labelValueProblem(value).map(p -> "value " + p))
                .ifPresent(p -> problems.add(new FieldProblem("labels." + key, p))));
        List<MachineDeploymentView.TaintView> taints = taintViews();
        for (int i = 0; i < taints.size(); i++) {
            String at = "taints[" + i + "].";
            KubernetesNames.qualifiedNameProblem(taints.get(i).key()).ifPresent(p -> problems.add(new FieldProblem(at + "key", p)));
            KubernetesNames.labelValueProblem(taints.get(i).value()).ifPresent(p -> problems.add(new FieldProblem(at + "value", p)));
        }
        if (ssh != null) {
            Credential c = ssh.credential();
            // The SSH library judges targets the way it will use them: host key pins parsed, keys really read.
            SshTargets.problems(ssh.host(), sshPort(), ssh.user(), ssh.hostKeyFingerprint(), ssh.knownHosts(), c.privateKey(),
                            c.passphrase(), c.password())
                    .forEach(p -> problems.add(new FieldProblem("ssh." + p.field(), p.message())));
        }
        return problems;
    }

    /** The labels, sorted; empty when absent. */
    public Map<String, String> sortedLabels() {
        return labels == null ? Map.of() : new TreeMap<>(labels);
    }

    /** The taints as stored: an absent value is the empty one. */
    public List<MachineDeploymentView.TaintView> taintViews() {
        return taints == null ? List.of() : taints.stream()
                .map(t -> new MachineDeploymentView.TaintView(t.key(), t.value() == null ? "" : t.value(), t.effect().name()))
                .toList();
    }

    /** The SSH target without its credential, or null. */
    public @Nullable MachineSsh machineSsh() {
        return ssh == null ? null : new MachineSsh(ssh.host(), sshPort(), ssh.user(), ssh.hostKeyFingerprint(), ssh.knownHosts(),
                ssh.credential().privateKey() != null ? "privateKey" : "password");
    }

    /** The SSH credential to seal, or null. */
    public @Nullable SshSecret secret() {
        return ssh == null ? null : new SshSecret(ssh.credential().privateKey(), ssh.credential().passphrase(), ssh.credential().password());
    }

    private int sshPort() {
        return ssh.port() == null ? 22 : ssh.port();
    }
}
