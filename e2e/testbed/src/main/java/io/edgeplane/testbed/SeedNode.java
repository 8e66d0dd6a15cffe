package io.edgeplane.testbed;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The host itself as a node: containerd and kubelet with all their state in a run directory. */
public final class SeedNode implements NodeHost {
    private final String name;
    private final String address;
    private final Path root;

    public SeedNode(String name, String address) {
        this.name = name;
        this.address = address;
        // A directory of its own: a second seed node of the same name in this run must not find the
        // first one's kubeconfig (pointing at another apiserver) or containerd state.
        this.root = TestBedRun.current().newDir(name);
    }

    @Override
    public String nodeName() {
        return name;
    }

    @Override
    public String address() {
        return address;
    }

    @Override
    public NodeLayout layout() {
        return NodeLayout.under(root.toString(), root + "/etc");
    }

    @Override
    public void writeFile(String path, String content) {
        Path file = Path.of(path);
        ApiServer.write(file, content);
    }

    @Override
    public String install(Path binary) {
        return binary.toString();
    }

    @Override
    public ManagedProcess start(String name, List<String> command, Map<String, String> env) {
        return ManagedProcess.start(name, command, root.resolve("logs").resolve(name + ".log"), env);
    }

    @Override
    public void stop(ManagedProcess process) {
        process.stop();
    }

    @Override
    public boolean sharesHostNetwork() {
        return true;
    }

    @Override
    public void unmountLeftovers() {
        Mounts.unmountBelow(root);
    }
}
