package io.edgeplane.provisioner.ssh;

import org.apache.sshd.common.util.buffer.ByteArrayBuffer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.security.PublicKey;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;

class FingerprintsTest {

    /** Public keys and what `ssh-keygen -lf` printed for them. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            TestKeys.ED25519_PUBLIC + "|" + TestKeys.ED25519_FINGERPRINT,
            TestKeys.ECDSA_PUBLIC + "|" + TestKeys.ECDSA_FINGERPRINT,
            TestKeys.RSA_PUBLIC + "|" + TestKeys.RSA_FINGERPRINT})
    void fingerprintIsWhatSshKeygenPrints(String publicKeyLine, String sshKeygen) throws Exception {
        byte[] blob = Base64.getDecoder().decode(publicKeyLine.split(" ")[1]);
        PublicKey key = new ByteArrayBuffer(blob).getRawPublicKey();

        assertThat(SshDelivery.fingerprint(key)).isEqualTo(sshKeygen);
        assertThat(Fingerprints.ofBlob(blob)).isEqualTo(sshKeygen);
    }

    @Test
    void aWellFormedSha256FingerprintHasNoProblem() {
        assertThat(Fingerprints.problem(TestKeys.ED25519_FINGERPRINT)).isEmpty();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "MD5:16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48|MD5",
            "16:27:ac:a5:76:28:2d:36:63:1b:56:4d:eb:df:a6:48|MD5",
            "SHA256:DaTRlXSSx+fuVUXrWibUxzMpFSS8nqRu4ZWKlnmJFTU=|without '=' padding",
            "DaTRlXSSx+fuVUXrWibUxzMpFSS8nqRu4ZWKlnmJFTU|SHA256:",
            "SHA256:DaTRlXSSx+fuVUXrWibUxzMpFSS8nqRu4ZWKlnmJFT|43 base64",
            "SHA256:DaTRlXSSx+fuVUXrWibUxzMpFSS8nqRu4ZWKlnm-FTU|43 base64",
            "' '|must not be empty"})
    void malformedFingerprintsAreExplained(String fingerprint, String explanation) {
        assertThat(Fingerprints.problem(fingerprint)).get().asString().contains(explanation);
    }
}
