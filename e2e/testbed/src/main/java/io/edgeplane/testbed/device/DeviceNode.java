package io.edgeplane.testbed.device;

import io.edgeplane.testbed.ManagedProcess;
import io.edgeplane.testbed.NodeHost;
import io.edgeplane.testbed.NodeLayout;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/** A device sandbox as a Kubernetes node: standard paths inside the device, daemons in its namespaces. */
public final class DeviceNode implements NodeHost {
    private final Device device;

    public DeviceNode(Device device) {
        this.device = device;
    }

    public Device device() {
        return device;
    }

    @Override
    public String nodeName() {
        return device.name();
    }

    @Override
    public String address() {
        return device.address();
    }

    @Override
    public NodeLayout layout() {
        return NodeLayout.standard();
    }

    @Override
    public Path hostPath(String nodePath) {
        return device.hostPath(nodePath);
    }

    @Override
    public void writeFile(String path, String content) {
        Path file = device.hostPath(path);
        try {
            Files.createDirectories(file.getParent());
            Files.writeString(file, content);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Copies the binary into the device's own /usr/local/bin, as provisioning does. */
    @Override
    public String install(Path binary) {
        String target = "/usr/local/bin/" + binary.getFileName();
        Path file = device.hostPath(target);
        try {
            Files.createDirectories(file.getParent());
            Files.copy(binary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.COPY_ATTRIBUTES);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return target;
    }

    @Override
    public ManagedProcess start(String name, List<String> command, Map<String, String> env) {
        return device.start(name, command, env);
    }

    @Override
    public void stop(ManagedProcess process) {
        device.stop(process);
    }

    @Override
    public java.util.Set<Long> processIds() {
        return java.util.Set.copyOf(device.processIds());
    }

    /** Container mounts live in the device's mount namespace and go with it. */
    @Override
    public void unmountLeftovers() {
    }
}
