package io.edgeplane.imagebase;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Predicate;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveInputStream;

/**
 * Unpacks a package's files into the tree, as dpkg would before its maintainer scripts run (they do
 * not run here: what they would generate, the tree gets from {@link SystemFiles}).
 */
final class DebExtractor {

    private DebExtractor() {
    }

    static void extract(Path deb, String pkg, PackageList list, Predicate<String> excluded, RootFs tree)
            throws IOException {
        // dpkg-deb is present wherever apt is, and reads every compression Debian and Ubuntu use.
        Commands.stream(List.of("dpkg-deb", "--fsys-tarfile", deb.toString()), deb.getParent(), stdout -> {
            TarArchiveInputStream tar = new TarArchiveInputStream(stdout, "UTF-8");
            for (TarArchiveEntry entry = tar.getNextEntry(); entry != null; entry = tar.getNextEntry()) {
                String path = RootFs.canonical(entry.getName());
                if (path.isEmpty() || excluded.test(path) || !list.takes(pkg, path)) {
                    continue;
                }
                if (entry.isDirectory()) {
                    tree.addDirectory(path, entry.getMode());
                } else if (entry.isSymbolicLink()) {
                    tree.addSymlink(path, entry.getLinkName());
                } else if (entry.isLink()) {
                    tree.addHardLink(path, entry.getLinkName());
                } else if (entry.isFile()) {
                    tree.addFile(path, entry.getMode(), tar);
                } else {
                    throw new IOException(deb.getFileName() + ": unexpected entry type for " + entry.getName());
                }
            }
        });
    }
}
