package io.edgeplane.imagebase;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PackageListTest {

    @TempDir
    Path dir;

    @Test
    void aPackageMayBeLimitedToSomeOfItsPaths() throws Exception {
        PackageList list = PackageList.read(write("# comment\nbash\nutil-linux /usr/bin/flock  # only flock\n"));

        assertThat(list.names()).containsExactly("bash", "util-linux");
        assertThat(list.takes("bash", "usr/share/bash/anything")).isTrue();
        assertThat(list.takes("util-linux", "usr/bin/flock")).isTrue();
        assertThat(list.takes("util-linux", "usr/bin")).as("its parent directories").isTrue();
        assertThat(list.takes("util-linux", "usr/bin/mount")).isFalse();
    }

    @Test
    void badLinesAreRefusedNamingTheLine() throws Exception {
        assertThatThrownBy(() -> PackageList.read(write("bash\nBad_Name\n")))
                .hasMessageContaining("line 2").hasMessageContaining("Bad_Name");
        assertThatThrownBy(() -> PackageList.read(write("bash\nbash\n")))
                .hasMessageContaining("line 2").hasMessageContaining("twice");
        assertThatThrownBy(() -> PackageList.read(write("util-linux usr/bin/flock\n")))
                .hasMessageContaining("line 1").hasMessageContaining("must be absolute");
        assertThatThrownBy(() -> PackageList.read(write("# nothing\n"))).hasMessageContaining("no packages");
    }

    @Test
    void printUrisLinesGiveNameVersionAndChecksum() {
        DebPackage p = DebPackage.fromPrintUris("'http://deb.debian.org/debian/pool/main/z/zlib/zlib1g_1.2.13.dfsg-1%2bdeb12u1_amd64.deb'"
                + " zlib1g_1%3a1.2.13.dfsg-1+deb12u1_amd64.deb 86880 SHA256:"
                + "ad9f1ea0537a32c9eaecc619563a9db596a5dee33afce8393b1083f22d301e1d");

        assertThat(p.name()).isEqualTo("zlib1g");
        assertThat(p.version()).as("epoch decoded, + kept").isEqualTo("1:1.2.13.dfsg-1+deb12u1");
        assertThat(p.architecture()).isEqualTo("amd64");
        assertThat(p.size()).isEqualTo(86880);
        assertThat(p.sha256()).startsWith("ad9f1ea0");
        assertThatThrownBy(() -> DebPackage.fromPrintUris("E: something else")).hasMessageContaining("something else");
    }

    private Path write(String text) throws Exception {
        return Files.writeString(dir.resolve("base-packages.txt"), text);
    }
}
