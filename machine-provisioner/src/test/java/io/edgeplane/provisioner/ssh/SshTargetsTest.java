package io.edgeplane.provisioner.ssh;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SshTargetsTest {
    private static final String HOST = "10.1.2.3";
    private static final String FINGERPRINT = TestKeys.ED25519_FINGERPRINT;
    private static String plainKey;
    private static String encryptedKey;

    @BeforeAll
    static void keys() throws Exception {
        plainKey = TestKeys.openSsh(TestKeys.ed25519(), null);
        encryptedKey = TestKeys.openSsh(TestKeys.ed25519(), "open sesame");
    }

    @Test
    void aCompleteTargetHasNoProblems() throws Exception {
        assertThat(SshTargets.problems(HOST, 22, "root", FINGERPRINT, null, plainKey, null, null)).isEmpty();
        assertThat(SshTargets.problems("edge-1.example.com", 2222, "ubuntu", null,
                "[edge-1.example.com]:2222 " + TestKeys.ECDSA_PUBLIC, encryptedKey, "open sesame", null)).isEmpty();
        assertThat(SshTargets.problems("fd00::17", 22, "edge_admin", FINGERPRINT, null, null, null, "pw")).isEmpty();
        assertThat(SshTargets.problems(HOST, 22, "root", FINGERPRINT, null, TestKeys.rsaPkcs8Pem(), null, null))
                .as("a PEM key").isEmpty();
    }

    @Test
    void aTargetAlreadyBuiltIsCheckedTheSameWay() {
        SshTarget target = SshTarget.pinned(HOST, 22, "root", "SHA256:short", new SshCredential.PrivateKey(plainKey, null));

        assertThat(SshTargets.problems(target)).extracting(SshTargetProblem::field).containsExactly(SshTargets.HOST_KEY_FINGERPRINT);
    }

    @Test
    void eachProblemNamesItsField() {
        assertThat(fields(SshTargets.problems("", 0, "", null, null, null, null, null)))
                .containsExactly("host", "port", "user", "hostKeyFingerprint", "credential");
        assertThat(fields(SshTargets.problems("300.1.2.3", 65536, "root; reboot", "MD5:ab", null, "garbage", null, null)))
                .containsExactly("host", "port", "user", "hostKeyFingerprint", "credential.privateKey");
        assertThat(fields(SshTargets.problems("bad host", 22, "root", FINGERPRINT, "x", plainKey, null, "pw")))
                .containsExactly("host", "hostKeyFingerprint", "credential");
        assertThat(fields(SshTargets.problems("[fd00::17]", 22, "root", FINGERPRINT, null, null, "phrase", "")))
                .containsExactly("host", "credential.password", "credential.passphrase");
    }

    @Test
    void knownHostsProblemsNameTheLineOrTheMissingHost() {
        List<SshTargetProblem> broken = SshTargets.problems(HOST, 22, "root", null, "10.1.2.3 ssh-ed25519 AAAA", plainKey, null, null);
        List<SshTargetProblem> otherHost = SshTargets.problems(HOST, 2222, "root", null, HOST + " " + TestKeys.ED25519_PUBLIC,
                plainKey, null, null);

        assertThat(broken).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("knownHosts");
            assertThat(problem.message()).startsWith("line 1: ");
        });
        assertThat(otherHost).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("knownHosts");
            assertThat(problem.message()).contains("[10.1.2.3]:2222");
        });
    }

    @Test
    void aPassphraseProblemIsOnThePassphraseAndQuotesNoSecret() {
        List<SshTargetProblem> missing = SshTargets.problems(HOST, 22, "root", FINGERPRINT, null, encryptedKey, null, null);
        List<SshTargetProblem> wrong = SshTargets.problems(HOST, 22, "root", FINGERPRINT, null, encryptedKey, "guess", null);
        List<SshTargetProblem> garbage = SshTargets.problems(HOST, 22, "root", FINGERPRINT, null,
                "-----BEGIN OPENSSH PRIVATE KEY-----\nc2VjcmV0LWtleS1tYXRlcmlhbA==\n-----END OPENSSH PRIVATE KEY-----\n", null, null);

        assertThat(missing).singleElement().isEqualTo(new SshTargetProblem("credential.passphrase",
                "the key is encrypted; its passphrase is required"));
        assertThat(wrong).singleElement().isEqualTo(new SshTargetProblem("credential.passphrase",
                "the passphrase does not decrypt the key"));
        assertThat(garbage).singleElement().satisfies(problem -> {
            assertThat(problem.field()).isEqualTo("credential.privateKey");
            assertThat(problem.message()).doesNotContain("c2VjcmV0").doesNotContain("secret-key-material");
        });
    }

    @Test
    void toStringOfTargetsAndCredentialsShowsNoSecret() {
        SshTarget withKey = SshTarget.pinned(HOST, 22, "root", FINGERPRINT, new SshCredential.PrivateKey(encryptedKey, "open sesame"));
        SshTarget withPassword = SshTarget.withKnownHosts(HOST, 22, "ubuntu", HOST + " " + TestKeys.ED25519_PUBLIC,
                new SshCredential.Password("hunter2"));

        assertThat(withKey.toString()).contains("root@10.1.2.3:22").doesNotContain("open sesame").doesNotContain("OPENSSH");
        assertThat(withPassword.toString()).contains("ubuntu@10.1.2.3:22").doesNotContain("hunter2");
        assertThat(withPassword.credential().secrets()).containsExactly("hunter2");
    }

    private static List<String> fields(List<SshTargetProblem> problems) {
        return problems.stream().map(SshTargetProblem::field).toList();
    }
}
