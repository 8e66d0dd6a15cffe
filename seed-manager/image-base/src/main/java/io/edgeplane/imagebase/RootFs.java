package io.edgeplane.imagebase;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Predicate;

/**
 * The base image's file tree, built in memory from package contents and generated files. Paths are
 * relative to {@code /} without a leading slash; regular files' bytes live in a staging directory.
 *
 * <p>Debian bookworm is merged-usr: packages still ship {@code /bin/bash}, and dpkg lands it in
 * {@code /usr/bin} through the {@code /bin -> usr/bin} link. The tree does the same mapping, so the
 * links stay real symlinks in the image.
 */
public final class RootFs {

    /** Top-level directories that are links into {@code /usr} on a merged-usr system. */
    static final Map<String, String> MERGED_USR = Map.of(
            "bin", "usr/bin", "sbin", "usr/sbin", "lib", "usr/lib", "lib64", "usr/lib64");

    public sealed interface Node permits Directory, RegularFile, Symlink {
        int mode();

        int owner();
    }

    public record Directory(int mode, int owner) implements Node {
    }

    public record RegularFile(int mode, int owner, Path content, long size) implements Node {
    }

    public record Symlink(String target) implements Node {
        @Override
        public int mode() {
            return 0777;
        }

        @Override
        public int owner() {
            return 0;
        }
    }

    private final NavigableMap<String, Node> nodes = new TreeMap<>();
    private final Path staging;
    private int blobs;

    /** A tree with the merged-usr links; file contents are staged under {@code staging}. */
    public RootFs(Path staging) throws IOException {
        this.staging = Files.createDirectories(staging);
        MERGED_USR.forEach((link, target) -> {
            addDirectory(target, 0755);
            nodes.put(link, new Symlink(target));
        });
    }

    /** The canonical form of a path as a package names it: no leading {@code ./} or {@code /}, merged-usr applied. */
    public static String canonical(String path) {
        String p = path;
        while (p.startsWith("./") || p.startsWith("/")) {
            p = p.startsWith("./") ? p.substring(2) : p.substring(1);
        }
        while (p.endsWith("/")) {
            p = p.substring(0, p.length() - 1);
        }
        int slash = p.indexOf('/');
        String top = slash < 0 ? p : p.substring(0, slash);
        String usr = MERGED_USR.get(top);
        if (usr != null && !p.equals(top)) {
            return usr + p.substring(top.length());
        }
        return p;
    }

    public void addDirectory(String path, int mode) {
        addDirectory(path, mode, 0);
    }

    public void addDirectory(String path, int mode, int owner) {
        String p = canonical(path);
        if (p.isEmpty() || MERGED_USR.containsKey(p)) {
            return;
        }
        ensureParents(p);
        nodes.put(p, new Directory(mode & 07777, owner));
    }

    public void addFile(String path, int mode, InputStream content) throws IOException {
        String p = canonical(path);
        ensureParents(p);
        Path blob = staging.resolve(Integer.toString(blobs++));
        long size = Files.copy(content, blob, StandardCopyOption.REPLACE_EXISTING);
        nodes.put(p, new RegularFile(mode & 0777, 0, blob, size));
    }

    public void addFile(String path, int mode, byte[] content) throws IOException {
        addFile(path, mode, new ByteArrayInputStream(content));
    }

    public void addSymlink(String path, String target) {
        String p = canonical(path);
        if (MERGED_USR.containsKey(p)) {
            return;
        }
        ensureParents(p);
        nodes.put(p, new Symlink(target));
    }

    /** A hard link in a package becomes a second entry with the same content. */
    public void addHardLink(String path, String existing) {
        String p = canonical(path);
        Node node = nodes.get(canonical(existing));
        if (!(node instanceof RegularFile file)) {
            throw new IllegalArgumentException("hard link " + path + ": target " + existing + " is not a regular file");
        }
        ensureParents(p);
        nodes.put(p, file);
    }

    public Optional<Node> get(String path) {
        return Optional.ofNullable(nodes.get(canonical(path)));
    }

    /** Every node, sorted by path (parents before children). */
    public NavigableMap<String, Node> nodes() {
        return Collections.unmodifiableNavigableMap(nodes);
    }

    /** Paths of the regular files directly in {@code directory}, sorted. */
    public List<String> filesIn(String directory) {
        String dir = canonical(directory) + "/";
        List<String> files = new ArrayList<>();
        for (Map.Entry<String, Node> e : nodes.tailMap(dir, false).entrySet()) {
            if (!e.getKey().startsWith(dir)) {
                break;
            }
            if (e.getKey().indexOf('/', dir.length()) < 0 && e.getValue() instanceof RegularFile) {
                files.add(e.getKey());
            }
        }
        return files;
    }

    /**
     * Where {@code path} leads after following symlinks inside the tree (absolute targets against this
     * tree's root, never the build host's), or empty if it leads nowhere.
     */
    public Optional<String> resolve(String path) {
        List<String> pending = new ArrayList<>(List.of(split(path)));
        List<String> done = new ArrayList<>();
        int hops = 0;
        while (!pending.isEmpty()) {
            String part = pending.remove(0);
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                if (!done.isEmpty()) {
                    done.remove(done.size() - 1);
                }
                continue;
            }
            done.add(part);
            String current = String.join("/", done);
            Node node = nodes.get(current);
            if (node == null) {
                return Optional.empty();
            }
            if (node instanceof Symlink link) {
                if (++hops > 40) {
                    return Optional.empty();
                }
                done.remove(done.size() - 1);
                if (link.target().startsWith("/")) {
                    done.clear();
                }
                List<String> next = new ArrayList<>(List.of(split(link.target())));
                next.addAll(pending);
                pending = next;
            }
        }
        return Optional.of(String.join("/", done));
    }

    /** Drops every path matched by {@code excluded}, with everything under it. */
    public void remove(Predicate<String> excluded) {
        Set<String> removed = new HashSet<>();
        nodes.keySet().removeIf(p -> {
            if (MERGED_USR.containsKey(p)) {
                return false;
            }
            int slash = p.lastIndexOf('/');
            boolean gone = excluded.test(p) || (slash > 0 && removed.contains(p.substring(0, slash)));
            if (gone) {
                removed.add(p);
            }
            return gone;
        });
    }

    private static String[] split(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        return p.split("/");
    }

    private void ensureParents(String path) {
        int slash = path.lastIndexOf('/');
        if (slash <= 0) {
            return;
        }
        String parent = path.substring(0, slash);
        if (!nodes.containsKey(parent)) {
            ensureParents(parent);
            nodes.put(parent, new Directory(0755, 0));
        }
    }
}
