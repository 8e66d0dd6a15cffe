package io.edgeplane.imagebase;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Uses the java launcher running this test as a real ELF file: it needs libjli.so by run path, libz and libc. */
class LibraryClosureTest {

    private static final Path JAVA = Path.of(System.getProperty("java.home"), "bin", "java");

    @TempDir
    Path dir;

    @Test
    void readsTheLaunchersNeedsAndRunPath() throws Exception {
        ElfFile elf = ElfFile.read(JAVA.toRealPath());

        assertThat(elf.needed()).contains("libjli.so", "libc.so.6");
        assertThat(elf.interpreter()).hasValueSatisfying(i -> assertThat(i).startsWith("/lib"));
        assertThat(String.join(":", elf.runPaths())).contains("$ORIGIN");
    }

    @Test
    void listsEverySonameTheTreeCannotProvide() throws Exception {
        RootFs tree = treeWithLauncher();

        assertThat(LibraryClosure.check(tree, Map.of()))
                .extracting(LibraryClosure.Missing::soname)
                .containsAll(ElfFile.read(JAVA.toRealPath()).needed())
                .contains(ElfFile.read(JAVA.toRealPath()).interpreter().orElseThrow());
        assertThat(LibraryClosure.describe(LibraryClosure.check(tree, Map.of())))
                .contains("libjli.so needed by /usr/lib/jvm/jre/bin/java");
    }

    @Test
    void resolvesThroughRunPathsDefaultDirectoriesAndSymlinks() throws Exception {
        RootFs tree = treeWithLauncher();
        ElfFile elf = ElfFile.read(JAVA.toRealPath());
        String triplet = elf.multiarchTriplet();
        for (String soname : elf.needed()) {
            if (soname.equals("libjli.so")) {
                // Found by the launcher's $ORIGIN/../lib run path.
                tree.addFile("usr/lib/jvm/jre/lib/libjli.so", 0644, new byte[] {1});
            } else {
                // In the multiarch directory, behind a soname link, reached through the /lib -> usr/lib link.
                tree.addFile("usr/lib/" + triplet + "/" + soname + ".1.2.3", 0644, new byte[] {1});
                tree.addSymlink("/lib/" + triplet + "/" + soname, soname + ".1.2.3");
            }
        }
        String interp = elf.interpreter().orElseThrow();
        tree.addSymlink(interp, "/usr/lib/" + triplet + "/ld.so.real");
        tree.addFile("usr/lib/" + triplet + "/ld.so.real", 0755, new byte[] {1});

        assertThat(LibraryClosure.check(tree, Map.of())).isEmpty();
    }

    @Test
    void aPreloadedSonameMustExistWhereItIsLoadedFrom() throws Exception {
        RootFs tree = new RootFs(dir.resolve("files"));

        assertThat(LibraryClosure.check(tree, Map.of("libjvm.so", "/usr/lib/jvm/jre/lib/server/libjvm.so")))
                .containsExactly(new LibraryClosure.Missing("/usr/lib/jvm/jre/lib/server/libjvm.so", "libjvm.so"));
    }

    @Test
    void aDanglingLinkDoesNotSatisfyANeed() throws Exception {
        RootFs tree = treeWithLauncher();
        tree.addSymlink("usr/lib/jvm/jre/lib/libjli.so", "libjli.so.gone");

        assertThat(LibraryClosure.check(tree, Map.of())).extracting(LibraryClosure.Missing::soname)
                .contains("libjli.so");
    }

    private RootFs treeWithLauncher() throws Exception {
        RootFs tree = new RootFs(dir.resolve("files"));
        try (InputStream in = Files.newInputStream(JAVA)) {
            tree.addFile("usr/lib/jvm/jre/bin/java", 0755, in);
        }
        return tree;
    }
}
