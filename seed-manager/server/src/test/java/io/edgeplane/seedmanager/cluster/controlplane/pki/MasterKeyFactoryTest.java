package io.edgeplane.seedmanager.cluster.controlplane.pki;

import io.edgeplane.seedmanager.config.EdgeplaneConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Base64;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class MasterKeyFactoryTest {
    private static final byte[] DATA = "secret".getBytes(StandardCharsets.UTF_8);

    @TempDir
    Path dir;

    private final MasterKeyFactory factory = new MasterKeyFactory();

    @Test
    void generatesTheKeyOnceIntoThePrivateDataDirAndReusesIt() throws Exception {
        EdgeplaneConfig config = config();

        MasterKey first = factory.masterKey(config, null, null);
        Path file = dir.resolve("data/master-key");
        String content = Files.readString(file);
        MasterKey second = factory.masterKey(config, "", null);

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("data")))).isEqualTo("rwx------");
        assertThat(Base64.getDecoder().decode(content.strip())).hasSize(32);
        assertThat(Files.readString(file)).as("not regenerated").isEqualTo(content);
        assertThat(second.fingerprint()).isEqualTo(first.fingerprint());
        assertThat(second.open(first.seal(DATA, "ad"), "ad")).isEqualTo(DATA);
        try (var files = Files.list(dir.resolve("data"))) {
            assertThat(files).as("no temporary file left").containsExactly(file);
        }
    }

    @Test
    void theConfiguredKeyWinsAndNoFileIsWritten() {
        byte[] raw = new byte[32];
        raw[31] = 9;

        MasterKey key = factory.masterKey(config(), Base64.getEncoder().encodeToString(raw), null);

        assertThat(key.fingerprint()).isEqualTo(MasterKey.of(raw).fingerprint());
        assertThat(dir.resolve("data/master-key")).doesNotExist();
    }

    @Test
    void aBadConfiguredKeyIsRejectedNamingTheVariableButNotTheValue() {
        String tooShort = Base64.getEncoder().encodeToString(new byte[16]);
        assertThatThrownBy(() -> factory.masterKey(config(), tooShort, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EDGEPLANE_MASTER_KEY")
                .hasMessageContaining("decodes to 16 bytes")
                .hasMessageContaining("openssl rand -base64 32")
                .hasMessageNotContaining(tooShort);
        assertThatThrownBy(() -> factory.masterKey(config(), "hunter2-hunter2-hunter2!", null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("EDGEPLANE_MASTER_KEY")
                .hasMessageNotContaining("hunter2");
        assertThat(dir.resolve("data/master-key")).as("no fallback to a generated key").doesNotExist();
    }

    @Test
    void aDamagedKeyFileIsAnErrorAndIsNeverReplaced() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.writeString(data.resolve("master-key"), "garbage\n");

        assertThatThrownBy(() -> factory.masterKey(config(), null, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining(data.resolve("master-key").toString());
        assertThat(Files.readString(data.resolve("master-key"))).isEqualTo("garbage\n");
    }

    private EdgeplaneConfig config() {
        return new EdgeplaneConfig(dir.resolve("data"), dir.resolve("seed.yaml"), Duration.ofSeconds(2), null);
    }
}
