package io.edgeplane.provisioner.ssh;

import org.apache.sshd.common.NamedFactory;
import org.apache.sshd.common.signature.BuiltinSignatures;
import org.apache.sshd.common.signature.Signature;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class HostKeyCheckTest {
    private static final List<NamedFactory<Signature>> CLIENT_ALGORITHMS = List.of(BuiltinSignatures.nistp256,
            BuiltinSignatures.ed25519, BuiltinSignatures.rsaSHA512, BuiltinSignatures.rsaSHA256, BuiltinSignatures.nistp256_cert);

    @Test
    void theClientAsksForEd25519FirstAndNeverForCertificates() {
        assertThat(names(DeliveryClient.hostKeyAlgorithms(CLIENT_ALGORITHMS)))
                .containsExactly("ssh-ed25519", "ecdsa-sha2-nistp256", "rsa-sha2-512", "rsa-sha2-256");
    }

    @Test
    void knownKeyTypesAreAskedForFirstAndAProbeAsksForItsTypeFirstWithoutDroppingOthers() {
        HostKeyPin pin = new HostKeyPin(Set.of(), Set.of(), List.of("ssh-rsa", "ecdsa-sha2-nistp256"), false);

        assertThat(names(HostKeyCheck.preferring(pin).order(CLIENT_ALGORITHMS)))
                .startsWith("rsa-sha2-512", "rsa-sha2-256", "ecdsa-sha2-nistp256").contains("ssh-ed25519");
        // Not dropped: the same algorithms sign the user's key during authentication.
        assertThat(names(HostKeyCheck.preferring(pin, "ecdsa-sha2-nistp256").order(CLIENT_ALGORITHMS)))
                .containsExactly("ecdsa-sha2-nistp256", "ssh-ed25519", "rsa-sha2-512", "rsa-sha2-256",
                        "ecdsa-sha2-nistp256-cert-v01@openssh.com");
    }

    @Test
    void theDevicesOfferIsReadAsKeyTypes() {
        HostKeyCheck check = HostKeyCheck.preferring(new HostKeyPin(Set.of(), Set.of(), List.of(), true));

        check.deviceOffered("rsa-sha2-512,rsa-sha2-256,ecdsa-sha2-nistp256,ssh-ed25519");

        assertThat(check.offeredKeyTypes()).containsExactly("ssh-rsa", "ecdsa-sha2-nistp256", "ssh-ed25519");
        assertThat(check.rejected()).as("nothing presented yet").isFalse();
    }

    private static List<String> names(List<NamedFactory<Signature>> factories) {
        return factories.stream().map(NamedFactory::getName).toList();
    }
}
