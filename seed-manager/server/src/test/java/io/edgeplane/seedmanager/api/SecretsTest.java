package io.edgeplane.seedmanager.api;

import org.junit.jupiter.api.Test;

import java.util.Base64;
import java.util.HashSet;
import java.util.HexFormat;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class SecretsTest {
    @Test
    void urlSafeSecretsCarryTheirBitsWithoutPaddingOrSpecialCharacters() {
        Set<String> seen = new HashSet<>();
        for (int i = 0; i < 1000; i++) {
            String secret = Secrets.urlSafeRandom(32);
            assertThat(secret).hasSize(43).matches("[A-Za-z0-9_-]+");
            assertThat(Base64.getUrlDecoder().decode(secret)).hasSize(32);
            seen.add(secret);
        }
        assertThat(seen).hasSize(1000);
    }

    @Test
    void theStoredFormIsTheSha256OfTheSecret() {
        assertThat(HexFormat.of().formatHex(Secrets.sha256("abc")))
                .isEqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
        assertThat(Secrets.sameDigest(Secrets.sha256("a"), Secrets.sha256("a"))).isTrue();
        assertThat(Secrets.sameDigest(Secrets.sha256("a"), Secrets.sha256("b"))).isFalse();
    }
}
