package io.edgeplane.provisioner.ssh;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class KnownHostsTest {
    private static final SshCredential PASSWORD = new SshCredential.Password("x");

    @Test
    void aPlainLineMatchesItsHostOnPort22Only() {
        KnownHosts knownHosts = KnownHosts.parse("edge-1,10.1.2.3 " + TestKeys.ED25519_PUBLIC + " comment words\n");

        assertThat(knownHosts.problems()).isEmpty();
        assertThat(knownHosts.entriesFor("10.1.2.3", 22)).singleElement()
                .satisfies(entry -> {
                    assertThat(entry.fingerprint()).isEqualTo(TestKeys.ED25519_FINGERPRINT);
                    assertThat(entry.keyType()).isEqualTo("ssh-ed25519");
                    assertThat(entry.lineNumber()).isEqualTo(1);
                });
        assertThat(knownHosts.entriesFor("EDGE-1", 22)).hasSize(1);
        assertThat(knownHosts.entriesFor("10.1.2.3", 2222)).as("another port needs the [host]:port form").isEmpty();
        assertThat(knownHosts.entriesFor("10.1.2.30", 22)).isEmpty();
    }

    @Test
    void bracketFormNamesAnotherPort() {
        KnownHosts knownHosts = KnownHosts.parse("[10.1.2.3]:2222 " + TestKeys.ECDSA_PUBLIC);

        assertThat(knownHosts.entriesFor("10.1.2.3", 2222)).hasSize(1);
        assertThat(knownHosts.entriesFor("10.1.2.3", 22)).isEmpty();
    }

    @Test
    void wildcardsAndNegationMatchAsInOpenSsh() {
        KnownHosts knownHosts = KnownHosts.parse("10.1.2.*,!10.1.2.4 " + TestKeys.ED25519_PUBLIC + "\n"
                + "edge-? " + TestKeys.RSA_PUBLIC);

        assertThat(knownHosts.entriesFor("10.1.2.3", 22)).hasSize(1);
        assertThat(knownHosts.entriesFor("10.1.2.4", 22)).as("negated").isEmpty();
        assertThat(knownHosts.entriesFor("edge-7", 22)).singleElement().extracting(KnownHosts.Entry::keyType).isEqualTo("ssh-rsa");
        assertThat(knownHosts.entriesFor("edge-17", 22)).isEmpty();
    }

    @Test
    void hashedNamesAsSshKeygenWritesThemMatchHostAndPort() {
        KnownHosts knownHosts = KnownHosts.parse(TestKeys.HASHED_ED25519_FOR_10_1_2_3 + "\n"
                + TestKeys.HASHED_ECDSA_FOR_10_1_2_3_PORT_2222 + "\n");

        assertThat(knownHosts.problems()).isEmpty();
        assertThat(knownHosts.entriesFor("10.1.2.3", 22)).extracting(KnownHosts.Entry::fingerprint)
                .containsExactly(TestKeys.ED25519_FINGERPRINT);
        assertThat(knownHosts.entriesFor("10.1.2.3", 2222)).extracting(KnownHosts.Entry::fingerprint)
                .containsExactly(TestKeys.ECDSA_FINGERPRINT);
        assertThat(knownHosts.entriesFor("10.1.2.4", 22)).isEmpty();
    }

    @Test
    void commentsAndBlankLinesAreSkippedAndProblemsNameTheirLine() {
        KnownHosts knownHosts = KnownHosts.parse("""
                # a comment

                10.1.2.3 ssh-ed25519 !!!notbase64
                10.1.2.3 ssh-rsa %s
                @cert-authority *.edge %s
                @trusted 10.1.2.3 %s
                10.1.2.3 ssh-ed25519
                |1|abc %s
                10.1.2.3 %s
                """.formatted(TestKeys.ED25519_PUBLIC.split(" ")[1], TestKeys.ED25519_PUBLIC, TestKeys.ED25519_PUBLIC,
                TestKeys.ED25519_PUBLIC, TestKeys.ED25519_PUBLIC));

        assertThat(knownHosts.problems()).extracting(Object::toString).containsExactly(
                "line 3: the key is not valid base64",
                "line 4: the line says ssh-rsa but the key is ssh-ed25519",
                "line 5: @cert-authority (host certificates) is not supported; list the device's host key itself",
                "line 6: unknown marker @trusted (only @revoked is supported)",
                "line 7: expected `[@revoked] <hosts> <key type> <base64 key> [comment]`",
                "line 8: a hashed host name must look like |1|<salt>|<hash>");
        assertThat(knownHosts.entries()).extracting(KnownHosts.Entry::lineNumber).containsExactly(9);
    }

    @Test
    void aKeyThatIsNotAValidPublicKeyIsAProblem() {
        // The ed25519 blob cut short: the type string is right, the key is not.
        String blob = TestKeys.ED25519_PUBLIC.split(" ")[1];
        byte[] bytes = java.util.Base64.getDecoder().decode(blob);
        String truncated = java.util.Base64.getEncoder().encodeToString(java.util.Arrays.copyOf(bytes, bytes.length - 8));

        KnownHosts knownHosts = KnownHosts.parse("10.1.2.3 ssh-ed25519 " + truncated);

        assertThat(knownHosts.problems()).singleElement().asString().contains("line 1: not a valid ssh-ed25519 public key");
    }

    @Test
    void pinFromKnownHostsAcceptsTheHostsKeysInFileOrderAndNeverARevokedOne() {
        SshTarget target = SshTarget.withKnownHosts("10.1.2.3", 22, "root", String.join("\n",
                "10.1.2.3 " + TestKeys.RSA_PUBLIC,
                "other " + TestKeys.ECDSA_PUBLIC,
                "10.1.2.* " + TestKeys.ED25519_PUBLIC,
                "@revoked * " + TestKeys.RSA_PUBLIC), PASSWORD);

        HostKeyPin pin = HostKeyPin.of(target);

        assertThat(pin.accepts(TestKeys.ED25519_FINGERPRINT)).isTrue();
        assertThat(pin.accepts(TestKeys.RSA_FINGERPRINT)).as("revoked").isFalse();
        assertThat(pin.accepts(TestKeys.ECDSA_FINGERPRINT)).as("another host's").isFalse();
        assertThat(pin.keyTypes()).containsExactly("ssh-ed25519");
        assertThat(pin.expected()).isEqualTo(TestKeys.ED25519_FINGERPRINT);
        assertThat(pin.probeOthers()).isFalse();
    }

    @Test
    void pinnedFingerprintAcceptsOnlyThatKeyAndMayProbeTheOtherKeyTypes() {
        HostKeyPin pin = HostKeyPin.of(SshTarget.pinned("10.1.2.3", 22, "root", TestKeys.ECDSA_FINGERPRINT, PASSWORD));

        assertThat(pin.accepts(TestKeys.ECDSA_FINGERPRINT)).isTrue();
        assertThat(pin.accepts(TestKeys.ED25519_FINGERPRINT)).isFalse();
        assertThat(pin.keyTypes()).isEmpty();
        assertThat(pin.probeOthers()).isTrue();
    }

    @Test
    void unparseableKnownHostsIsRefusedWithItsFirstProblem() {
        SshTarget target = SshTarget.withKnownHosts("10.1.2.3", 22, "root", "10.1.2.3 ssh-ed25519", PASSWORD);

        assertThatThrownBy(() -> HostKeyPin.of(target)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("knownHosts line 1: expected");
    }

    @Test
    void hostNameIsBracketedWithItsPortUnless22() {
        assertThat(List.of(KnownHosts.hostName("Edge-1", 22), KnownHosts.hostName("10.1.2.3", 2222)))
                .containsExactly("edge-1", "[10.1.2.3]:2222");
    }
}
