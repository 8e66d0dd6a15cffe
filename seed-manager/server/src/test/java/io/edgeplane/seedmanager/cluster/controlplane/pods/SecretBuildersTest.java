package io.edgeplane.seedmanager.cluster.controlplane.pods;

import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenCase;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenFiles;
import io.edgeplane.seedmanager.cluster.controlplane.flags.GoldenSource;
import io.edgeplane.seedmanager.cluster.controlplane.flags.SampleSpecs;
import io.edgeplane.seedmanager.cluster.controlplane.pki.EncryptionKeys;
import io.fabric8.kubernetes.api.model.Secret;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

public class SecretBuildersTest implements GoldenSource {

    @Override
    public List<GoldenCase> goldenCases() {
        return List.of(
                new GoldenCase("pki-secret", getClass(),
                        () -> GoldenFiles.yaml(PkiSecretBuilder.build(SampleSpecs.single(), SampleSpecs.pkiFiles()))),
                new GoldenCase("kubeconfig-secret", getClass(),
                        () -> GoldenFiles.yaml(KubeconfigSecretBuilder.build(SampleSpecs.single(), SampleObjects.kubeconfigs()))),
                new GoldenCase("encryption-config-secret", getClass(),
                        () -> GoldenFiles.yaml(EncryptionConfigSecretBuilder.build(SampleSpecs.single(), SampleSpecs.ENCRYPTION_KEYS))));
    }

    @Test
    void theEncryptionConfigurationWritesWithTheCurrentKeyAndStillReadsTheOthersAndPlainSecrets() {
        EncryptionKeys rotating = SampleSpecs.ENCRYPTION_KEYS.withNewKey(new SecureRandom()).newestFirst();
        Secret secret = EncryptionConfigSecretBuilder.build(SampleSpecs.single(), rotating);
        String yaml = new String(Base64.getDecoder().decode(secret.getData().get("encryption-config.yaml")), StandardCharsets.UTF_8);

        // kube-bench's CIS check reads the provider right after "providers:": it must be an encrypting one.
        assertThat(yaml).contains("providers:\n  - secretbox:\n");
        assertThat(yaml.indexOf("name: key-2")).isLessThan(yaml.indexOf("name: key-1")).isPositive();
        assertThat(yaml).endsWith("  - identity: {}\n");
        assertThat(secret.getType()).isEqualTo("Opaque");
    }

    @Test
    void nestedPathsBecomeFlatKeys() {
        Secret secret = PkiSecretBuilder.build(SampleSpecs.single(), SampleSpecs.pkiFiles());

        assertThat(secret.getData()).containsKeys("ca.crt", "etcd-ca.crt", "etcd-server.key", "sa.pub")
                .doesNotContainKey("etcd/ca.crt");
        assertThat(new String(Base64.getDecoder().decode(secret.getData().get("etcd-ca.crt")), StandardCharsets.UTF_8))
                .isEqualTo(SampleSpecs.pem("etcd/ca.crt"));
    }

    @Test
    void pathsThatWouldShareAKeyAreRejected() {
        Map<String, String> clash = Map.of("etcd/ca.crt", "a", "etcd-ca.crt", "b");

        assertThatThrownBy(() -> PkiSecretBuilder.build(SampleSpecs.single(), clash))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("etcd-ca.crt");
    }

    @Test
    void pathsOutsideThePkiDirectoryAreRejected() {
        assertThatThrownBy(() -> PkiSecretBuilder.secretKey("../ca.key")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> PkiSecretBuilder.secretKey("/etc/passwd")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void kubeconfigsMustBePlainFileNames() {
        assertThatThrownBy(() -> KubeconfigSecretBuilder.build(SampleSpecs.single(), Map.of("admin/x.conf", "")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
