package io.edgeplane.cli.config;

import io.edgeplane.cli.CliFailure;
import io.edgeplane.cli.ExitCode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConfigFileTest {

    @TempDir
    Path home;

    private static Context context(String name, String server) {
        return new Context(name, server, "secret-" + name, null, null, null, null);
    }

    @Test
    void isWrittenOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
        ConfigFile file = ConfigFile.locate(Map.of("XDG_CONFIG_HOME", home.resolve("cfg").toString()));

        file.save(CliConfig.EMPTY.withContext(context("local", "http://localhost:8080")).withCurrentContext("local"));

        assertThat(file.path()).isEqualTo(home.resolve("cfg/edgeplane/config.yaml"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path().getParent()))).isEqualTo("rwx------");
        assertThat(file.readableByOthers()).isFalse();
        try (var listing = Files.list(file.path().getParent())) {
            assertThat(listing).containsExactly(file.path());
        }
    }

    @Test
    void replacingAFileKeepsItOwnerOnlyAndWarnsAboutOneThatIsNot() throws Exception {
        ConfigFile file = new ConfigFile(home.resolve("config.yaml"));
        file.save(CliConfig.EMPTY.withContext(context("a", "http://a:1")));
        Files.setPosixFilePermissions(file.path(), PosixFilePermissions.fromString("rw-r--r--"));
        assertThat(file.readableByOthers()).isTrue();

        file.save(file.load().withContext(context("b", "http://b:1")));

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file.path()))).isEqualTo("rw-------");
    }

    @Test
    void keepsSeveralContextsAndTheCurrentOne() {
        ConfigFile file = ConfigFile.locate(Map.of("EDGEPLANE_CONFIG", home.resolve("x/edgeplane.yaml").toString()));
        file.save(CliConfig.EMPTY
                .withContext(context("dev", "http://localhost:8080"))
                .withContext(new Context("prod", "https://seed.example.com", "t", "/etc/ca.pem", null, "acme", "store"))
                .withCurrentContext("prod"));

        CliConfig loaded = file.load();

        assertThat(loaded.currentContext()).isEqualTo("prod");
        assertThat(loaded.contexts()).extracting(Context::name).containsExactly("dev", "prod");
        assertThat(loaded.context("prod").orElseThrow().certificateAuthority()).isEqualTo("/etc/ca.pem");
        assertThat(loaded.withContext(context("dev", "http://other:1")).contexts())
                .extracting(Context::server).containsExactly("http://other:1", "https://seed.example.com");
        assertThat(loaded.withoutContext("prod").currentContext()).isNull();
    }

    @Test
    void defaultsToTheUsersConfigDirectory() {
        assertThat(ConfigFile.locate(Map.of("HOME", "/home/op")).path()).isEqualTo(Path.of("/home/op/.config/edgeplane/config.yaml"));
    }

    @Test
    void aMissingFileIsAnEmptyConfigAndATypoIsAnError() throws Exception {
        ConfigFile file = new ConfigFile(home.resolve("config.yaml"));
        assertThat(file.load()).isEqualTo(CliConfig.EMPTY);

        Files.writeString(file.path(), "current-context: a\ncontexts:\n- name: a\n  sever: http://x\n");

        assertThatThrownBy(file::load).isInstanceOf(CliFailure.class)
                .hasMessageContaining("sever")
                .satisfies(e -> assertThat(((CliFailure) e).exitCode()).isEqualTo(ExitCode.USAGE));
    }
}
