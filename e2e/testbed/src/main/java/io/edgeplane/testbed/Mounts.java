package io.edgeplane.testbed;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Mount points of this mount namespace, read from /proc/self/mountinfo. */
public final class Mounts {
    private static final Logger LOG = LoggerFactory.getLogger(Mounts.class);

    private Mounts() {
    }

    /** Mount points at or below {@code dir}, deepest first. */
    public static List<Path> below(Path dir) {
        List<Path> result = new ArrayList<>();
        try {
            for (String line : Files.readAllLines(Path.of("/proc/self/mountinfo"))) {
                Path mountPoint = Path.of(unescape(line.split(" ")[4]));
                if (mountPoint.startsWith(dir)) {
                    result.add(mountPoint);
                }
            }
        } catch (IOException e) {
            LOG.warn("cannot read mountinfo: {}", e.getMessage());
        }
        result.sort(Comparator.comparingInt(Path::getNameCount).reversed());
        return result;
    }

    /** Lazily unmounts everything below {@code dir}, so that the directory can be deleted. */
    public static void unmountBelow(Path dir) {
        for (Path mountPoint : below(dir)) {
            try {
                Process umount = new ProcessBuilder("umount", "-n", "-l", mountPoint.toString()).redirectErrorStream(true).start();
                umount.getInputStream().readAllBytes();
                umount.waitFor(10, TimeUnit.SECONDS);
            } catch (IOException e) {
                LOG.warn("cannot unmount {}: {}", mountPoint, e.getMessage());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** mountinfo escapes space, tab, newline and backslash as octal. */
    private static String unescape(String field) {
        return field.replace("\\040", " ").replace("\\011", "\t").replace("\\012", "\n").replace("\\134", "\\");
    }
}
