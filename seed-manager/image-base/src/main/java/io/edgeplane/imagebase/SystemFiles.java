package io.edgeplane.imagebase;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.util.List;

/**
 * What an installed system has beyond its packages' files: the outputs of maintainer scripts and
 * {@code update-alternatives}, the accounts, and the writable places.
 */
final class SystemFiles {

    /** The non-root user the seed manager runs as (distroless' "nonroot" number). */
    static final int USER = 65532;
    /** The data directory: a volume in Kubernetes. */
    static final String DATA_DIR = "var/lib/edgeplane";
    static final String PACKAGES_FILE = "usr/share/edgeplane/base-packages.txt";

    private SystemFiles() {
    }

    static void write(RootFs tree, List<DebPackage> packages) throws IOException, GeneralSecurityException {
        text(tree, "etc/passwd", "root:x:0:0:root:/root:/usr/bin/false\n"
                + "edgeplane:x:" + USER + ":" + USER + ":Edgeplane:/" + DATA_DIR + ":/usr/bin/false\n");
        text(tree, "etc/group", "root:x:0:\nedgeplane:x:" + USER + ":\n");
        text(tree, "etc/nsswitch.conf", "passwd: files\ngroup: files\nhosts: files dns\n");
        tree.addDirectory("root", 0700);
        tree.addDirectory("tmp", 01777);
        tree.addDirectory(DATA_DIR, 0700, USER);
        // update-alternatives' links, and /bin/sh (dash is not in the image).
        tree.addSymlink("usr/bin/awk", "mawk");
        tree.addSymlink("usr/bin/sh", "bash");
        CertificateStores.write(tree);
        StringBuilder list = new StringBuilder("# package version sha256 of the .deb\n");
        packages.forEach(p -> list.append(p.name()).append(' ').append(p.version()).append(' ').append(p.sha256())
                .append('\n'));
        text(tree, PACKAGES_FILE, list.toString());
    }

    private static void text(RootFs tree, String path, String content) throws IOException {
        tree.addFile(path, 0644, content.getBytes(StandardCharsets.UTF_8));
    }
}
