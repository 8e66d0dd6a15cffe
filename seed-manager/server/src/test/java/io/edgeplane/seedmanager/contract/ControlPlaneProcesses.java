package io.edgeplane.seedmanager.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Control-plane components outlive the seed manager that started them (by design: a restart must not
 * take tenant clusters down), so a test that started clusters ends what runs from its data dir.
 */
public final class ControlPlaneProcesses {
    private ControlPlaneProcesses() {
    }

    public static void killUnder(Path dataDir) {
        String clusters = dataDir.resolve("clusters").toAbsolutePath().toString();
        ProcessHandle.allProcesses().filter(p -> commandLine(p.pid()).contains(clusters)).forEach(ProcessHandle::destroyForcibly);
    }

    public static String commandLine(long pid) {
        try {
            return Files.readString(Path.of("/proc", Long.toString(pid), "cmdline")).replace('\0', ' ');
        } catch (IOException | RuntimeException e) {
            return "";
        }
    }
}
