package io.edgeplane.seedmanager.tls;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeedCaTest {
    private static final Instant NOW = Instant.parse("2026-12-07T12:00:00Z");
    private static final List<String> NAMES = List.of("10.222.0.1", "seed.example.com", "localhost", "127.0.0.1");

    @TempDir
    Path dir;

    @Test
    void theCaIsCreatedOnceAndItsKeyStaysPrivate() throws Exception {
        SeedCa first = SeedCa.loadOrCreate(dir, NOW);
        SeedCa again = SeedCa.loadOrCreate(dir, NOW.plus(Duration.ofDays(1)));
        assertThat(again.certificate()).isEqualTo(first.certificate());
        assertThat(Files.getPosixFilePermissions(dir.resolve("ca.key"))).isEqualTo(PosixFilePermissions.fromString("rw-------"));
        assertThat(first.certificate().getBasicConstraints()).isZero();
    }

    @Test
    void aCaCertificateWithoutItsKeyIsRefusedNotReplaced() {
        SeedCa.loadOrCreate(dir, NOW);
        dir.resolve("ca.key").toFile().delete();
        assertThatThrownBy(() -> SeedCa.loadOrCreate(dir, NOW)).hasMessageContaining("has no key beside it");
    }

    @Test
    void theServingCertificateNamesTheSeedAndIsRenewedWhenDueOrANameIsMissing() throws Exception {
        SeedCa ca = SeedCa.loadOrCreate(dir, NOW);
        ServingMaterial serving = ca.issue(NAMES, NOW);
        serving.leaf().verify(ca.certificate().getPublicKey());
        assertThat(serving.chain()).containsExactly(serving.leaf(), ca.certificate());
        assertThat(serving.leaf().getSubjectAlternativeNames()).extracting(san -> san.get(1).toString())
                .containsExactlyElementsOf(NAMES);
        assertThat(serving.leaf().getExtendedKeyUsage()).containsExactly("1.3.6.1.5.5.7.3.1");
        assertThat(ca.stored()).get().extracting(ServingMaterial::leaf).isEqualTo(serving.leaf());

        assertThat(SeedCa.renewalDue(serving, NAMES, NOW.plus(Duration.ofDays(59)))).isFalse();
        assertThat(SeedCa.renewalDue(serving, List.of("LOCALHOST", "127.0.0.1"), NOW))
                .as("names compare case-insensitively").isFalse();
        assertThat(SeedCa.renewalDue(serving, NAMES, NOW.plus(Duration.ofDays(61)))).as("two thirds of 90 days gone").isTrue();
        assertThat(SeedCa.renewalDue(serving, List.of("10.222.0.2"), NOW)).as("the external address changed").isTrue();
    }

    @Test
    void theFingerprintIsWhatOpensslPrints() {
        SeedCa ca = SeedCa.loadOrCreate(dir, NOW);
        assertThat(ServingMaterial.fingerprint(ca.certificate())).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }
}
