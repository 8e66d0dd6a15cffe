package io.edgeplane.seedmanager.datacenter;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SeedRegistryTest {

    private static final Instant NOW = Instant.parse("2025-01-01T10:00:00Z");
    private static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    private static final SeedParser PARSER = new SeedParser();

    @TempDir
    Path dir;

    @Test
    void loadsTheSeedAtStartupAsGenerationOne() throws Exception {
        Path file = write(minimal());

        SeedRegistry registry = registry(file);

        assertThat(registry.current().name()).isEqualTo("test-seed");
        SeedStatus status = registry.status();
        assertThat(status.name()).isEqualTo("test-seed");
        assertThat(status.file()).isEqualTo(file.toString());
        assertThat(status.generation()).isEqualTo(1);
        assertThat(status.checksum()).isEqualTo(sha256(minimal()));
        assertThat(status.activeSince()).isEqualTo(NOW);
        assertThat(status.lastReload()).isEqualTo(new ReloadResult(NOW, ReloadOutcome.APPLIED, java.util.List.of()));
    }

    @Test
    void validChangeIsApplied() throws Exception {
        Path file = write(minimal());
        SeedRegistry registry = registry(file);
        String changed = minimal().replace("location: Hamburg, store A", "location: Hamburg, store A (moved)");

        write(changed);
        ReloadResult result = registry.checkForChanges();

        assertThat(result.outcome()).isEqualTo(ReloadOutcome.APPLIED);
        assertThat(registry.status().generation()).isEqualTo(2);
        assertThat(registry.status().checksum()).isEqualTo(sha256(changed));
        assertThat(registry.status().lastReload()).isEqualTo(result);
        assertThat(registry.current().datacenter("store-a").orElseThrow().location()).isEqualTo("Hamburg, store A (moved)");
    }

    @Test
    void invalidChangeIsRejectedAndThePreviousSeedStaysActive() throws Exception {
        Path file = write(minimal());
        SeedRegistry registry = registry(file);
        Seed before = registry.current();

        write(minimal().replace("country: DE\n      location", "country: 49\n      location"));
        ReloadResult result = registry.checkForChanges();

        assertThat(result.outcome()).isEqualTo(ReloadOutcome.REJECTED);
        assertThat(result.problems()).containsExactly(file + ":12: spec.datacenters.store-a.country: must be a string");
        assertThat(registry.current()).isSameAs(before);
        assertThat(registry.status().generation()).isEqualTo(1);
        assertThat(registry.status().checksum()).isEqualTo(sha256(minimal()));
        assertThat(registry.status().lastReload()).isEqualTo(result);

        // Left in place, the bad file stays rejected (and is not re-parsed or re-logged).
        assertThat(registry.checkForChanges()).isEqualTo(result);
    }

    @Test
    void restoringTheActiveContentAfterARejectionIsUnchanged() throws Exception {
        Path file = write(minimal());
        SeedRegistry registry = registry(file);
        write("kind: Nonsense\n");
        assertThat(registry.checkForChanges().outcome()).isEqualTo(ReloadOutcome.REJECTED);

        write(minimal());

        assertThat(registry.checkForChanges().outcome()).isEqualTo(ReloadOutcome.UNCHANGED);
        assertThat(registry.status().lastReload().problems()).isEmpty();
        assertThat(registry.status().generation()).isEqualTo(1);
    }

    @Test
    void unchangedFileKeepsTheGeneration() throws Exception {
        Path file = write(minimal());
        SeedRegistry registry = registry(file);
        // Rewriting identical bytes changes the modification time, not the content.
        write(minimal());

        ReloadResult result = registry.checkForChanges();

        assertThat(result).isEqualTo(new ReloadResult(NOW, ReloadOutcome.UNCHANGED, java.util.List.of()));
        assertThat(registry.status().generation()).isEqualTo(1);
    }

    @Test
    void fileReplacedByRenameIsPickedUp() throws Exception {
        Path file = write(minimal());
        SeedRegistry registry = registry(file);
        Path replacement = dir.resolve(".seed.yaml.swp");
        Files.writeString(replacement, minimal().replace("name: test-seed", "name: renamed-seed"));

        Files.move(replacement, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);

        assertThat(registry.checkForChanges().outcome()).isEqualTo(ReloadOutcome.APPLIED);
        assertThat(registry.current().name()).isEqualTo("renamed-seed");
    }

    @Test
    void fileMissingDuringPollingIsARejectedReload() throws Exception {
        Path file = write(minimal());
        SeedRegistry registry = registry(file);

        Files.delete(file);
        ReloadResult result = registry.checkForChanges();

        assertThat(result.outcome()).isEqualTo(ReloadOutcome.REJECTED);
        assertThat(result.problems()).containsExactly(file + ": cannot read the file: no such file");
        assertThat(registry.current().name()).isEqualTo("test-seed");
    }

    @Test
    void invalidFileAtStartupThrowsListingEveryProblem() throws Exception {
        Path file = write(minimal()
                .replace("name: test-seed", "name: Test_Seed")
                .replace("  location: Hamburg\n", "")
                .replace("edge: {}", "{}"));

        assertThatThrownBy(() -> registry(file))
                .isInstanceOfSatisfying(InvalidSeedException.class, e -> assertThat(e.problems()).hasSize(3))
                .hasMessageContaining("is not a valid Seed (3 problems)")
                .hasMessageContaining(file + ":5: metadata.name: must be a DNS-1123 label")
                .hasMessageContaining(file + ":6: spec.location: required field is missing")
                .hasMessageContaining(file + ":13: spec.datacenters.store-a.spec: no provider");
    }

    @Test
    void missingFileAtStartupThrows() {
        Path file = dir.resolve("absent.yaml");

        assertThatThrownBy(() -> registry(file))
                .isInstanceOf(InvalidSeedException.class)
                .hasMessageContaining(file + ": cannot read the file: no such file");
    }

    @Test
    void pollerAppliesChangesUntilClosed() throws Exception {
        Path file = write(minimal());
        try (SeedRegistry registry = new SeedRegistry(file, Duration.ofMillis(10), PARSER, Clock.systemUTC())) {
            registry.startWatching();

            write(minimal().replace("name: test-seed", "name: polled-seed"));

            long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
            while (registry.status().generation() < 2 && System.nanoTime() < deadline) {
                Thread.sleep(10);
            }
            assertThat(registry.status().generation()).isEqualTo(2);
            assertThat(registry.current().name()).isEqualTo("polled-seed");
        }
    }

    private SeedRegistry registry(Path file) {
        return new SeedRegistry(file, Duration.ofSeconds(2), PARSER, CLOCK);
    }

    private Path write(String content) throws IOException {
        return Files.writeString(dir.resolve("seed.yaml"), content);
    }

    private static String minimal() throws IOException {
        return Files.readString(Path.of("src/test/resources/seeds/minimal.yaml"));
    }

    private static String sha256(String content) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content.getBytes(StandardCharsets.UTF_8)));
    }
}
