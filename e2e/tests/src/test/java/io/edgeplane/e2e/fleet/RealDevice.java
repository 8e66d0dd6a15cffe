package io.edgeplane.e2e.fleet;

import io.edgeplane.e2e.EdgeDevices;
import io.edgeplane.testbed.TestBedHost;
import io.edgeplane.testbed.TestBedRun;
import io.edgeplane.testbed.device.CommandResult;
import io.edgeplane.testbed.device.Device;
import io.edgeplane.testbed.device.TestNetwork;
import io.edgeplane.testbed.images.LocalRegistry;
import io.edgeplane.testbed.images.TestImages;

/**
 * The one real device of a fleet run: a test-bed device (its own network namespace, containerd,
 * the kubelet and the device agent its script installs) in the first cluster, provisioned by its
 * fetched script like any device in the field. It keeps the simulation honest: every phase must
 * also finish on a device where nothing is simulated. Its app image comes from the test bed's
 * local registry, which is why the seed's datacenter is the test network ({@link EdgeDevices#seed}).
 */
final class RealDevice implements AutoCloseable {
    static final String DATACENTER = "lab";

    private final LocalRegistry registry;
    private final String image;
    private final String seedYaml;
    private Device device;

    private RealDevice(LocalRegistry registry, String image, String seedYaml) {
        this.registry = registry;
        this.image = image;
        this.seedYaml = seedYaml;
    }

    /** Host packages, the local registry and its images: what a real device needs before the seed manager starts. */
    static RealDevice prepare() {
        TestBedHost.ensurePackages();
        String host = TestNetwork.current().hostAddress();
        LocalRegistry registry = LocalRegistry.start(host);
        return new RealDevice(registry, TestImages.helloHttp(registry),
                EdgeDevices.seed(host, registry.hostPort(), TestImages.pause(registry)));
    }

    String seedYaml() {
        return seedYaml;
    }

    /** The app's image, which the real device pulls from the local registry (simulated ones pull nothing). */
    String image() {
        return image;
    }

    /** Registers the device through the API, fetches its script and runs it on the device; returns the device's name. */
    String provision(FleetApi api, String machines, String name) throws Exception {
        device = Device.create(name);
        EdgeDevices.sharesTheHostKernel(device);
        api.post(machines, "{\"name\":\"" + name + "\",\"os\":\"debian-12\",\"arch\":\"" + EdgeDevices.arch() + "\"}").expect(201);
        String script = api.get(machines + "/" + name + "/provisioning-script").expect(200).body();
        CommandResult provisioned = EdgeDevices.runScript(device, script);
        if (provisioned.exitCode() != 0) {
            throw new IllegalStateException("the real device's provisioning script failed: " + provisioned.stderr());
        }
        return name;
    }

    @Override
    public void close() {
        try {
            if (device != null) {
                device.close();
            }
        } finally {
            registry.close();
            TestBedRun.current().close();
        }
    }
}
