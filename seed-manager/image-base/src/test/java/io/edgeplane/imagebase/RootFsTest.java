package io.edgeplane.imagebase;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class RootFsTest {

    @TempDir
    Path dir;

    @Test
    void packagePathsLandUnderUsrBehindTheMergedUsrLinks() throws Exception {
        RootFs tree = new RootFs(dir);
        tree.addFile("./bin/bash", 0755, new byte[0]);
        tree.addSymlink("./lib64/ld-linux-x86-64.so.2", "/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
        tree.addFile("./usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2", 0755, new byte[0]);

        assertThat(tree.get("usr/bin/bash")).isPresent();
        assertThat(tree.get("bin")).contains(new RootFs.Symlink("usr/bin"));
        assertThat(tree.resolve("/lib64/ld-linux-x86-64.so.2")).contains("usr/lib/x86_64-linux-gnu/ld-linux-x86-64.so.2");
    }

    @Test
    void removedDirectoriesTakeTheirContents() throws Exception {
        RootFs tree = new RootFs(dir);
        tree.addFile("usr/share/doc/bash/README", 0644, new byte[0]);
        tree.addFile("usr/share/docs-kept", 0644, new byte[0]);
        tree.remove(Exclusions.of(List.of("usr/share/doc")));

        assertThat(tree.nodes().keySet()).noneMatch(p -> p.startsWith("usr/share/doc/")).contains("usr/share/docs-kept");
        assertThat(tree.get("usr/share/doc")).isEmpty();
    }

    @Test
    void exclusionGlobsMatchAPathOrAnyDirectoryAboveIt() {
        Exclusions excluded = Exclusions.of(List.of("usr/lib/jvm/*/legal", "usr/lib/*/gconv"));

        assertThat(excluded.test("usr/lib/jvm/java-17-openjdk-amd64/legal/java.base/LICENSE")).isTrue();
        assertThat(excluded.test("usr/lib/x86_64-linux-gnu/gconv")).isTrue();
        assertThat(excluded.test("usr/lib/jvm/java-17-openjdk-amd64/lib/libjava.so")).isFalse();
        assertThat(excluded.test("usr/share/ca-certificates/mozilla/NetLock_Arany_=Class_Gold=_F\u0151tan\u00fas\u00edtv\u00e1ny.crt"))
                .isFalse();
        assertThat(Exclusions.of(List.of("usr/share/**/*.crt")).test("usr/share/ca-certificates/mozilla/a.crt")).isTrue();
        assertThat(Exclusions.of(List.of("usr/lib/?")).test("usr/lib/ab")).isFalse();
    }
}
