package io.edgeplane.imagebase;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.util.Date;
import java.util.Map;
import org.apache.commons.compress.archivers.tar.TarArchiveEntry;
import org.apache.commons.compress.archivers.tar.TarArchiveOutputStream;
import org.apache.commons.compress.archivers.tar.TarConstants;

/**
 * Writes a {@link RootFs} as one image layer that is the same bytes for the same tree: entries
 * sorted by path, one fixed mtime, numeric owners only, symlinks kept as symlinks. Jib's own layer
 * writer follows symlinks (it builds entries from host files), which is why the base is written here.
 */
public final class LayerTar {

    /** One second past the epoch, as Jib stamps its layers. */
    static final Date MTIME = new Date(1000L);

    private LayerTar() {
    }

    public static void write(RootFs tree, OutputStream out) throws IOException {
        TarArchiveOutputStream tar = new TarArchiveOutputStream(out, "UTF-8");
        tar.setLongFileMode(TarArchiveOutputStream.LONGFILE_POSIX);
        tar.setBigNumberMode(TarArchiveOutputStream.BIGNUMBER_POSIX);
        for (Map.Entry<String, RootFs.Node> e : tree.nodes().entrySet()) {
            String path = e.getKey();
            RootFs.Node node = e.getValue();
            TarArchiveEntry entry;
            if (node instanceof RootFs.Directory) {
                entry = new TarArchiveEntry(path + "/", TarConstants.LF_DIR);
                entry.setMode(040000 | node.mode());
            } else if (node instanceof RootFs.Symlink link) {
                entry = new TarArchiveEntry(path, TarConstants.LF_SYMLINK);
                entry.setLinkName(link.target());
                entry.setMode(0120777);
            } else {
                RootFs.RegularFile file = (RootFs.RegularFile) node;
                entry = new TarArchiveEntry(path, TarConstants.LF_NORMAL);
                entry.setMode(0100000 | file.mode());
                entry.setSize(file.size());
            }
            entry.setModTime(MTIME);
            entry.setUserId(node.owner());
            entry.setGroupId(node.owner());
            entry.setUserName("");
            entry.setGroupName("");
            tar.putArchiveEntry(entry);
            if (node instanceof RootFs.RegularFile file) {
                try (InputStream in = Files.newInputStream(file.content())) {
                    in.transferTo(tar);
                }
            }
            tar.closeArchiveEntry();
        }
        tar.finish();
    }
}
