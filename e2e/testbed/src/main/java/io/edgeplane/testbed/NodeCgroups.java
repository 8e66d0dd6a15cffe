package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A kubelet's own cgroup root, e.g. {@code /edgeplane-testbed-<run>-<node>}, created in every
 * hierarchy because the kubelet refuses a root that is missing anywhere. Closing kills whatever
 * still runs inside (containers outlive a stopped containerd) and removes the tree.
 */
public final class NodeCgroups {
    private static final Logger LOG = LoggerFactory.getLogger(NodeCgroups.class);
    private static final Path CGROUP_FS = Path.of("/sys/fs/cgroup");
    static final String PREFIX = "edgeplane-testbed-";

    private final String name;

    private NodeCgroups(String name) {
        this.name = name;
    }

    public static NodeCgroups create(String nodeName) {
        NodeCgroups cgroups = new NodeCgroups(PREFIX + ProcessHandle.current().pid() + "-" + nodeName);
        for (Path hierarchy : hierarchies()) {
            Path dir = hierarchy.resolve(cgroups.name);
            try {
                Files.createDirectories(dir);
                if (hierarchy.getFileName().toString().equals("cpuset")) {
                    // A new cpuset has no CPUs or memory nodes until told; inherit the parent's.
                    Files.writeString(dir.resolve("cpuset.cpus"), Files.readString(hierarchy.resolve("cpuset.cpus")).strip());
                    Files.writeString(dir.resolve("cpuset.mems"), Files.readString(hierarchy.resolve("cpuset.mems")).strip());
                }
            } catch (IOException e) {
                throw new UncheckedIOException("cannot create cgroup " + dir, e);
            }
        }
        return cgroups;
    }

    /** The kubelet's cgroupRoot setting. */
    public String root() {
        return "/" + name;
    }

    public void close() {
        remove(name);
    }

    /** Removes the cgroup trees of test-bed runs whose JVM is gone. */
    static void sweep(java.util.function.LongPredicate runAlive) {
        for (Path hierarchy : hierarchies()) {
            try (DirectoryStream<Path> dirs = Files.newDirectoryStream(hierarchy, PREFIX + "*")) {
                for (Path dir : dirs) {
                    String[] parts = dir.getFileName().toString().substring(PREFIX.length()).split("-", 2);
                    if (parts[0].matches("[0-9]+") && !runAlive.test(Long.parseLong(parts[0]))) {
                        remove(dir.getFileName().toString());
                    }
                }
            } catch (IOException e) {
                LOG.warn("cannot sweep cgroups in {}: {}", hierarchy, e.getMessage());
            }
        }
    }

    private static void remove(String name) {
        for (Path hierarchy : hierarchies()) {
            Path top = hierarchy.resolve(name);
            if (!Files.isDirectory(top)) {
                continue;
            }
            for (int attempt = 0; attempt < 50 && Files.isDirectory(top); attempt++) {
                killAll(top);
                for (Path dir : treeDeepestFirst(top)) {
                    try {
                        Files.deleteIfExists(dir); // rmdir: the kernel refuses while tasks remain
                    } catch (IOException busy) {
                        // retried after the next kill round
                    }
                }
                if (Files.isDirectory(top)) {
                    ApiServer.sleep(100);
                }
            }
            if (Files.isDirectory(top)) {
                LOG.warn("cgroup {} could not be removed", top);
            }
        }
    }

    private static void killAll(Path top) {
        for (Path dir : treeDeepestFirst(top)) {
            try {
                for (String pid : Files.readAllLines(dir.resolve("cgroup.procs"))) {
                    if (!pid.isBlank()) {
                        ProcessHandle.of(Long.parseLong(pid.strip())).ifPresent(ProcessHandle::destroyForcibly);
                    }
                }
            } catch (IOException | RuntimeException gone) {
                // the cgroup vanished meanwhile
            }
        }
    }

    private static List<Path> treeDeepestFirst(Path top) {
        try (Stream<Path> walk = Files.walk(top)) {
            return walk.filter(Files::isDirectory).sorted(Comparator.comparingInt(Path::getNameCount).reversed()).toList();
        } catch (IOException | UncheckedIOException e) {
            return List.of();
        }
    }

    private static List<Path> hierarchies() {
        List<Path> result = new ArrayList<>();
        if (Files.exists(CGROUP_FS.resolve("cgroup.controllers"))) {
            result.add(CGROUP_FS); // cgroup v2 only
            return result;
        }
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(CGROUP_FS)) {
            for (Path dir : dirs) {
                // Includes the hybrid layout's "unified" v2 tree, where runc mirrors each container.
                if (Files.isDirectory(dir) && Files.exists(dir.resolve("cgroup.procs"))) {
                    result.add(dir);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return result;
    }
}
